package io.trident.bench;

import io.trident.bench.data.GenerateCommand;
import io.trident.bench.searchcore.AsyncSweepTool;
import io.trident.bench.searchcore.FilteredBenchTool;
import io.trident.bench.searchtool.SearchBenchTool;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Entry point of trident-bench.jar: {@code gen | search | filtered | async | restart | journal |
 * cluster | sweep | jmh} followed by that command's arguments. Exits 2 on bad usage, 1 on failure.
 */
public final class BenchMain {
  private static final String USAGE = String.join("\n",
      "usage: trident-bench <command> [options]",
      "  gen     --n 100000 --d 128 --queries 1000 --out DIR   clustered data set + ground truth",
      "  search  --base B.fvecs --query Q.fvecs [--gt G.ivecs] --index SPEC [--ef 16,32,64]",
      "          [--nprobe 1,4,16] [--k 10] [--threads 1,2] [--peers lucene,jvector,hnswlib,faiss]",
      "          --out DIR                                       search benchmark with peers",
      FilteredBenchTool.USAGE,
      AsyncSweepTool.USAGE,
      io.trident.bench.recovery.RestartBenchTool.USAGE,
      "  journal ...                                           journal benchmark",
      io.trident.bench.cluster.ClusterBenchOptions.USAGE,
      io.trident.bench.sweep.SweepTool.USAGE,
      "  jmh     [JMH options]                                 JMH benchmarks in this jar");
  /** Written by the journal benchmark's owner; looked up by name so each compiles alone. */
  private static final String JOURNAL_TOOL = "io.trident.bench.journal.JournalBenchTool";

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
      System.out.println(USAGE);
      System.exit(args.length == 0 ? 2 : 0);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "gen" -> GenerateCommand.main(rest);
        case "search" -> SearchBenchTool.main(rest);
        case "filtered" -> FilteredBenchTool.main(rest);
        case "async" -> AsyncSweepTool.main(rest);
        case "restart" -> io.trident.bench.recovery.RestartBenchTool.main(rest);
        case "journal" -> runJournal(rest);
        case "cluster" -> io.trident.bench.cluster.ClusterBenchTool.main(rest);
        case "sweep" -> io.trident.bench.sweep.SweepTool.main(rest);
        case "jmh" -> org.openjdk.jmh.Main.main(rest);
        default -> {
          System.err.println("unknown command '" + args[0] + "'\n" + USAGE);
          System.exit(2);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
    }
  }

  private static void runJournal(String[] rest) throws Exception {
    try {
      Class.forName(JOURNAL_TOOL).getMethod("main", String[].class)
          .invoke(null, (Object) rest);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("this build has no journal benchmark", e);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
