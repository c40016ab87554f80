package io.trident.bench.peer;

import io.trident.bench.searchtool.AnnSystem;
import io.trident.bench.searchtool.BuildProgress;
import io.trident.bench.searchtool.SearchSetting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

/**
 * Peer: Apache Lucene HNSW (Lucene99HnswVectorsFormat with the given M and beam width =
 * efConstruction), EUCLIDEAN similarity, one single-segment index (force-merged to 1) in an
 * MMapDirectory under a temporary directory. A setting's ef is the query's k (= numCandidates);
 * the top k of those are returned. Compiled against lucene-core 9.12 and uses only API that
 * lucene-core 10 also has, so it runs with either on the classpath. Runs in the child JVM of
 * {@link LucenePeerMain}; searches are thread-safe (IndexSearcher).
 */
public final class LuceneSystem implements AnnSystem {
  private static final String FIELD = "vector";
  private static final String ID_FIELD = "id";
  private static final double RAM_BUFFER_MB = 1900;

  private final int maxConnections;
  private final int efConstruction;
  private final List<SearchSetting> settings;
  private final Path workDirectory;
  private Directory directory;
  private DirectoryReader reader;
  private IndexSearcher searcher;
  private int[] docToRow;
  private volatile int candidates;

  /** {@code workDirectory}: an empty directory for the index files, deleted by close. */
  public LuceneSystem(int maxConnections, int efConstruction, List<SearchSetting> settings,
      Path workDirectory) {
    this.maxConnections = maxConnections;
    this.efConstruction = efConstruction;
    this.settings = List.copyOf(settings);
    this.workDirectory = workDirectory;
  }

  /** The Lucene version on the classpath, e.g. "10.6.0". */
  public static String luceneVersion() {
    return Version.LATEST.toString();
  }

  @Override
  public String name() {
    return "lucene";
  }

  @Override
  public String version() {
    boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    return luceneVersion() + " on JDK " + Runtime.version().feature()
        + (vectorModule ? " (vector module)" : "");
  }

  @Override
  public String config() {
    return "M" + maxConnections + " efC" + efConstruction;
  }

  @Override
  public void build(float[][] base, BuildProgress progress) {
    try {
      Files.createDirectories(workDirectory);
      directory = FSDirectory.open(workDirectory);
      IndexWriterConfig config = new IndexWriterConfig()
          .setCodec(codecWithGraph(maxConnections, efConstruction))
          .setRAMBufferSizeMB(RAM_BUFFER_MB)
          .setUseCompoundFile(false);
      try (IndexWriter writer = new IndexWriter(directory, config)) {
        for (int row = 0; row < base.length; row++) {
          Document document = new Document();
          document.add(new KnnFloatVectorField(FIELD, base[row],
              VectorSimilarityFunction.EUCLIDEAN));
          document.add(new NumericDocValuesField(ID_FIELD, row));
          writer.addDocument(document);
          progress.advance(1);
        }
        writer.forceMerge(1);
        writer.commit();
      }
      reader = DirectoryReader.open(directory);
      if (reader.leaves().size() != 1) {
        throw new IllegalStateException("expected one segment, got " + reader.leaves().size());
      }
      docToRow = readRowNumbers(reader.leaves().get(0).reader());
      searcher = new IndexSearcher(reader);
      searcher.setQueryCache(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Codec codecWithGraph(int maxConnections, int beamWidth) {
    Codec defaults = Codec.getDefault();
    KnnVectorsFormat graphFormat = new Lucene99HnswVectorsFormat(maxConnections, beamWidth);
    // Keeps the default codec's name: readers find the per-field format by its own name.
    return new FilterCodec(defaults.getName(), defaults) {
      @Override
      public KnnVectorsFormat knnVectorsFormat() {
        return new PerFieldKnnVectorsFormat() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return graphFormat;
          }
        };
      }
    };
  }

  private static int[] readRowNumbers(LeafReader leaf) throws IOException {
    int[] rows = new int[leaf.maxDoc()];
    NumericDocValues ids = leaf.getNumericDocValues(ID_FIELD);
    for (int doc = 0; doc < rows.length; doc++) {
      if (!ids.advanceExact(doc)) {
        throw new IllegalStateException("document " + doc + " has no id");
      }
      rows[doc] = (int) ids.longValue();
    }
    return rows;
  }

  @Override
  public List<SearchSetting> settings() {
    return settings;
  }

  @Override
  public void apply(SearchSetting setting) {
    candidates = setting.efSearch();
  }

  @Override
  public int[] search(float[] query, int k) {
    try {
      TopDocs top = searcher.search(
          new KnnFloatVectorQuery(FIELD, query, Math.max(k, candidates)), k);
      ScoreDoc[] hits = top.scoreDocs;
      int[] rows = new int[hits.length];
      for (int i = 0; i < hits.length; i++) {
        rows[i] = docToRow[hits[i].doc];
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      if (reader != null) {
        reader.close();
      }
      if (directory != null) {
        directory.close();
      }
      if (Files.exists(workDirectory)) {
        try (Stream<Path> paths = Files.walk(workDirectory)) {
          for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      reader = null;
      directory = null;
      searcher = null;
    }
  }
}
