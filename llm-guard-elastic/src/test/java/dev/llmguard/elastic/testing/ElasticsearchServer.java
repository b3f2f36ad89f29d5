package dev.llmguard.elastic.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real single-node Elasticsearch started from the {@code integ-test-zip} distribution that the
 * build fetched from Maven Central (DESIGN.md §5). One instance owns a folder under {@code
 * target/es-instances} with its own config, data and logs; the distribution itself is shared and
 * never written to.
 *
 * <p>When the JVM runs as root the instance folder is handed to {@code nobody} and the server is
 * started through {@code setpriv}, because Elasticsearch refuses to run as root. The server can be
 * stopped and started again on the same ports and data (for outage tests).
 *
 * <p>Not thread-safe; a test drives one server from one thread.
 */
public final class ElasticsearchServer implements AutoCloseable {

  /** Password of the built-in test superuser {@value #ADMIN_USER} on secured servers. */
  public static final String ADMIN_USER = "llmguard-admin";

  public static final String ADMIN_PASSWORD = "admin-Secret-42";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private final ServerOptions options;
  private final String version;
  private final Path distribution;
  private final Path javaHome;
  private final Path instanceDir;
  private final int httpPort;
  private final int transportPort;
  private Process process;
  private HttpClient http;
  private Path caCertificate;

  private ElasticsearchServer(ServerOptions options) {
    this.options = options;
    this.version = ServerOptions.version();
    this.javaHome = ServerOptions.javaHome();
    this.distribution = Distribution.unpacked(version);
    try {
      Path instances = Distribution.distDir().resolve("../es-instances").normalize();
      Files.createDirectories(instances);
      this.instanceDir =
          Files.createTempDirectory(instances, options.name() + "-" + version + "-")
              .toAbsolutePath();
      this.httpPort = freePort();
      this.transportPort = freePort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Prepares and starts a server; blocks until {@code GET /_cluster/health} answers. */
  public static ElasticsearchServer start(ServerOptions options) {
    ElasticsearchServer server = new ElasticsearchServer(options);
    try {
      long t0 = System.nanoTime();
      server.prepare();
      long t1 = System.nanoTime();
      server.startProcess();
      System.out.printf(
          "%s: prepared in %d ms, started in %d ms%n",
          server, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
      return server;
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  public String version() {
    return version;
  }

  public ServerOptions options() {
    return options;
  }

  public boolean secured() {
    return options.security();
  }

  /** {@code http://127.0.0.1:<port>} or {@code https://localhost:<port>} when secured. */
  public String url() {
    return (secured() ? "https://localhost:" : "http://127.0.0.1:") + httpPort;
  }

  /** The PEM CA certificate that signed the server's HTTP certificate (secured servers only). */
  public Path caCertificate() {
    if (caCertificate == null) {
      throw new IllegalStateException("server " + options.name() + " has no TLS");
    }
    return caCertificate;
  }

  public Path instanceDir() {
    return instanceDir;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * CPU time used so far by the server's process tree (the launcher and the node's JVM), as the
   * operating system reports it; 0 when the server is not running or the OS does not say.
   */
  public java.time.Duration cpuTime() {
    if (process == null || !process.isAlive()) {
      return java.time.Duration.ZERO;
    }
    ProcessHandle handle = process.toHandle();
    java.time.Duration total = handle.info().totalCpuDuration().orElse(java.time.Duration.ZERO);
    for (ProcessHandle d : (Iterable<ProcessHandle>) handle.descendants()::iterator) {
      total = total.plus(d.info().totalCpuDuration().orElse(java.time.Duration.ZERO));
    }
    return total;
  }

  /** Stops the server (data kept); the same URL stops answering. */
  public void stop() {
    if (process == null) {
      return;
    }
    ProcessHandle handle = process.toHandle();
    List<ProcessHandle> tree = new ArrayList<>();
    handle.descendants().forEach(tree::add);
    tree.add(handle);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (ProcessHandle p : tree) {
      long left = deadline - System.nanoTime();
      try {
        p.onExit().get(Math.max(1, left), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
    process = null;
  }

  /** Starts a stopped server again on the same ports and data. */
  public void restart() {
    stop();
    startProcess();
  }

  @Override
  public void close() {
    stop();
    // The data goes; config and logs stay in target/es-instances for a look after a failure.
    deleteTree(instanceDir.resolve("data"));
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // leftovers are removed by mvn clean
    }
  }

  // ---------------------------------------------------------------- REST helpers for assertions

  /** A REST call as the admin (when secured); returns the status and body. */
  public RestResponse request(String method, String path, String jsonBody) {
    return request(method, path, jsonBody, secured() ? ADMIN_USER : null, ADMIN_PASSWORD);
  }

  /** A REST call as {@code user} (basic auth) or anonymous when {@code user} is null. */
  public RestResponse request(
      String method, String path, String jsonBody, String user, String password) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .method(
                method,
                jsonBody == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(jsonBody));
    if (user != null) {
      String token =
          Base64.getEncoder()
              .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      b.header("Authorization", "Basic " + token);
    }
    try {
      HttpResponse<String> r = httpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new RestResponse(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed on " + url(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Status and body of one REST call. */
  public record RestResponse(int status, String body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  // ---------------------------------------------------------------- setup

  private void prepare() {
    try {
      Path config = instanceDir.resolve("config");
      copyTree(distribution.resolve("config"), config);
      Files.createDirectories(instanceDir.resolve("data"));
      Files.createDirectories(instanceDir.resolve("logs"));
      Files.createDirectories(instanceDir.resolve("tmp"));
      writeJvmOptions(config);
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("cluster.name", "llm-guard-test-" + options.name());
      settings.put("node.name", options.name());
      settings.put("discovery.type", "single-node");
      settings.put("network.host", "127.0.0.1");
      settings.put("http.port", Integer.toString(httpPort));
      settings.put("transport.port", Integer.toString(transportPort));
      settings.put("path.data", instanceDir.resolve("data").toString());
      settings.put("path.logs", instanceDir.resolve("logs").toString());
      // Tests run on a full build disk; do not let watermarks turn indices read-only.
      settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
      settings.put("action.destructive_requires_name", "false");
      if (options.writeQueueSize() > 0) {
        settings.put("thread_pool.write.size", "1");
        settings.put("thread_pool.write.queue_size", Integer.toString(options.writeQueueSize()));
      }
      if (options.security()) {
        prepareSecurity(config, settings);
      } else {
        settings.put("xpack.security.enabled", "false");
      }
      StringBuilder yml = new StringBuilder();
      settings.forEach((k, v) -> yml.append(k).append(": \"").append(v).append("\"\n"));
      Files.writeString(config.resolve("elasticsearch.yml"), yml);
      if (runningAsRoot()) {
        chownTree(instanceDir, "nobody", "nogroup");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + instanceDir, e);
    }
  }

  private void writeJvmOptions(Path config) throws IOException {
    // The stock file logs GC to the working folder and dumps the heap on OOM; neither helps here.
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(config.resolve("jvm.options"))) {
      String t = line.trim();
      if (t.startsWith("-Xlog:gc") || t.contains("HeapDumpOnOutOfMemoryError")) {
        continue;
      }
      kept.add(line);
    }
    Files.write(config.resolve("jvm.options"), kept);
  }

  private void prepareSecurity(Path config, Map<String, String> settings) throws IOException {
    Path certs = instanceDir.resolve("certs");
    Files.createDirectories(certs);
    Path caZip = instanceDir.resolve("ca.zip");
    Path nodeZip = instanceDir.resolve("node.zip");
    runTool(
        "elasticsearch-certutil",
        "ca",
        "--pem",
        "--silent",
        "--out",
        caZip.toString(),
        "--days",
        "30");
    unzip(caZip, certs);
    Path caCrt = certs.resolve("ca/ca.crt");
    Path caKey = certs.resolve("ca/ca.key");
    runTool(
        "elasticsearch-certutil",
        "cert",
        "--pem",
        "--silent",
        "--ca-cert",
        caCrt.toString(),
        "--ca-key",
        caKey.toString(),
        "--name",
        "node",
        "--dns",
        "localhost",
        "--ip",
        "127.0.0.1",
        "--days",
        "30",
        "--out",
        nodeZip.toString());
    unzip(nodeZip, certs);
    Files.copy(caCrt, config.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        certs.resolve("node/node.crt"),
        config.resolve("node.crt"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        certs.resolve("node/node.key"),
        config.resolve("node.key"),
        StandardCopyOption.REPLACE_EXISTING);
    this.caCertificate = caCrt;

    // File-realm roles: roles.yml accepts the JSON role bodies as they are (JSON is YAML).
    StringBuilder roles = new StringBuilder();
    options
        .roles()
        .forEach((name, json) -> roles.append(name).append(": ").append(json).append("\n"));
    Files.writeString(config.resolve("roles.yml"), roles);
    runTool("elasticsearch-users", "useradd", ADMIN_USER, "-p", ADMIN_PASSWORD, "-r", "superuser");
    for (ServerOptions.User u : options.users()) {
      runTool(
          "elasticsearch-users",
          "useradd",
          u.name(),
          "-p",
          u.password(),
          "-r",
          String.join(",", u.roles()));
    }

    settings.put("xpack.security.enabled", "true");
    settings.put("xpack.security.authc.token.enabled", "false");
    settings.put("xpack.security.authc.api_key.enabled", "true");
    settings.put("xpack.security.http.ssl.enabled", "true");
    settings.put("xpack.security.http.ssl.key", "node.key");
    settings.put("xpack.security.http.ssl.certificate", "node.crt");
    settings.put("xpack.security.http.ssl.certificate_authorities", "ca.crt");
    settings.put("xpack.security.transport.ssl.enabled", "true");
    settings.put("xpack.security.transport.ssl.key", "node.key");
    settings.put("xpack.security.transport.ssl.certificate", "node.crt");
    settings.put("xpack.security.transport.ssl.certificate_authorities", "ca.crt");
    settings.put("xpack.security.transport.ssl.verification_mode", "certificate");
  }

  /** Runs a CLI tool of the distribution against this instance's config (as the current user). */
  private void runTool(String tool, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(distribution.resolve("bin").resolve(tool).toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.directory(instanceDir.resolve("config").toFile());
    pb.environment().put("ES_JAVA_HOME", javaHome.toString());
    pb.environment().put("ES_PATH_CONF", instanceDir.resolve("config").toString());
    pb.environment().remove("JAVA_HOME");
    pb.environment().put("CLI_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto");
    pb.redirectErrorStream(true);
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(tool + " did not finish in 120 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(tool + " " + args[0] + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void startProcess() {
    List<String> cmd = new ArrayList<>();
    if (runningAsRoot()) {
      cmd.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
    }
    cmd.add(distribution.resolve("bin/elasticsearch").toString());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.directory(instanceDir.toFile());
    Map<String, String> env = pb.environment();
    env.put("ES_JAVA_HOME", javaHome.toString());
    env.put("ES_PATH_CONF", instanceDir.resolve("config").toString());
    env.put("ES_TMPDIR", instanceDir.resolve("tmp").toString());
    // C1 only: the server starts in half the CPU time, which matters on a 2-core machine; the
    // benchmark turns it off (-Delasticsearch.full-jit=true) to measure real throughput.
    env.put(
        "ES_JAVA_OPTS",
        Boolean.getBoolean("elasticsearch.full-jit")
            ? "-Xms512m -Xmx512m"
            : "-Xms512m -Xmx512m -XX:TieredStopAtLevel=1");
    env.remove("JAVA_HOME");
    env.remove("JAVA_TOOL_OPTIONS");
    env.remove("_JAVA_OPTIONS");
    Path console = instanceDir.resolve("console.log");
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
    awaitHealthy(console);
  }

  private void awaitHealthy(Path console) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Elasticsearch "
                + version
                + " ("
                + options.name()
                + ") exited with "
                + process.exitValue()
                + " during startup:\n"
                + tail(console));
      }
      try {
        RestResponse r = request("GET", "/_cluster/health?wait_for_status=yellow&timeout=1s", null);
        if (r.ok()) {
          return;
        }
        last = r.status() + " " + r.body();
      } catch (RuntimeException e) {
        last = e.toString();
      }
      sleep(500);
    }
    stop();
    throw new IllegalStateException(
        "Elasticsearch "
            + version
            + " did not become healthy in "
            + START_TIMEOUT
            + " (last: "
            + last
            + "):\n"
            + tail(console));
  }

  private HttpClient httpClient() {
    if (http == null) {
      HttpClient.Builder b =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .version(HttpClient.Version.HTTP_1_1);
      if (secured()) {
        b.sslContext(TestTls.trusting(caCertificate));
      }
      http = b.build();
    }
    return http;
  }

  // ---------------------------------------------------------------- small utilities

  static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tail(Path file) {
    try {
      if (!Files.exists(file)) {
        return "(no " + file + ")";
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void unzip(Path zip, Path into) throws IOException {
    try (InputStream in = Files.newInputStream(zip);
        ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
        Path target = into.resolve(e.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException("zip entry outside target: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(z, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void chownTree(Path root, String user, String group) throws IOException {
    UserPrincipalLookupService lookup = root.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal u = lookup.lookupPrincipalByName(user);
    GroupPrincipal g = lookup.lookupPrincipalByGroupName(group);
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        PosixFileAttributeView view =
            Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(u);
        view.setGroup(g);
      }
    }
  }

  @Override
  public String toString() {
    return "Elasticsearch " + version + " (" + options.name() + ") at " + url();
  }

  static String lower(String s) {
    return Objects.requireNonNull(s).toLowerCase(Locale.ROOT);
  }
}
