package io.trident.bench.searchtool;

import static io.trident.bench.searchtool.MeasuredSettings.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReportTest {
  @Test
  void writesHeaderAndOneLinePerRowWithThreadColumns(@TempDir Path directory) throws Exception {
    MeasuredSetting oneThreadOnly = new MeasuredSetting("hnswlib", "1.2.0, JDK 17", "M16",
        new SearchSetting(0, 8), 1.25, 0.5, new int[] {1}, new double[] {1234.56}, 1, 2, 3);
    Path file = directory.resolve("r.csv");
    CsvReport.write(file, List.of(row("trident", "HNSW32", 64, 0.987654321, 10_000),
        oneThreadOnly), 10);

    List<String> lines = Files.readAllLines(file);
    assertEquals(3, lines.size());
    assertEquals("system,version,config,ef_search,nprobe,build_seconds,recall_at_10,qps_t1,"
        + "qps_t2,latency_p50_micros,latency_p95_micros,latency_p99_micros", lines.get(0));
    assertEquals("trident,1.0,HNSW32,64,0,2.500,0.98765,10000.0,18000.0,90.0,150.0,210.0",
        lines.get(1));
    // A comma in a field is quoted; a thread count the row did not run is left empty.
    assertEquals("hnswlib,\"1.2.0, JDK 17\",M16,0,8,1.250,0.50000,1234.6,,1.0,2.0,3.0",
        lines.get(2));
  }

  @Test
  void quotesEmbeddedQuotes() {
    assertEquals("\"a \"\"b\"\"\"", CsvReport.quote("a \"b\""));
    assertEquals("plain", CsvReport.quote("plain"));
  }
}
