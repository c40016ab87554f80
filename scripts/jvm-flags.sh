# Sourced by the scripts: the JVM flags Trident needs on JDK 17+ (same list as the root pom's
# trident.jvm.flags). Chronicle Queue turns read-only without the opens; LMDB needs java.nio.
TRIDENT_JVM_FLAGS="--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED -Dchronicle.analytics.disable=true"
export TRIDENT_JVM_FLAGS
