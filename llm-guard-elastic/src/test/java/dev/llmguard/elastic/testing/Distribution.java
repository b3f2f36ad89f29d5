package dev.llmguard.elastic.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the unpacked {@code integ-test-zip} distribution, unpacking it from the local Maven
 * repository when the build's own unpack step did not run (e.g. a test started from an IDE).
 */
final class Distribution {

  private Distribution() {}

  static Path distDir() {
    String d = System.getProperty("elasticsearch.dist.dir");
    return Path.of(d == null || d.isBlank() ? "target/elasticsearch" : d).toAbsolutePath();
  }

  /** The distribution folder of {@code version}, unpacked if needed. */
  static synchronized Path unpacked(String version) {
    Path home = distDir().resolve("elasticsearch-" + version);
    if (Files.isExecutable(home.resolve("bin/elasticsearch"))) {
      return home;
    }
    Path zip =
        Path.of(
            System.getProperty("user.home"),
            ".m2/repository/org/elasticsearch/distribution/integ-test-zip/elasticsearch",
            version,
            "elasticsearch-" + version + ".zip");
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException(
          "Elasticsearch "
              + version
              + " is neither unpacked at "
              + home
              + " nor in the local repository at "
              + zip
              + "; run mvn -pl llm-guard-elastic -am verify, which fetches it");
    }
    try {
      ElasticsearchServer.unzip(zip, distDir());
      // java.util.zip drops the unix modes: make the launch scripts executable again.
      try (Stream<Path> bins = Files.list(home.resolve("bin"))) {
        for (Path p : (Iterable<Path>) bins::iterator) {
          Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
          perms.add(PosixFilePermission.OWNER_EXECUTE);
          perms.add(PosixFilePermission.GROUP_EXECUTE);
          perms.add(PosixFilePermission.OTHERS_EXECUTE);
          Files.setPosixFilePermissions(p, perms);
        }
      }
      return home;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + zip, e);
    }
  }
}
