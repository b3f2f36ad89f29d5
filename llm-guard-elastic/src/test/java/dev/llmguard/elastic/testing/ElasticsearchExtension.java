package dev.llmguard.elastic.testing;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a running {@link ElasticsearchServer} into test constructors, lifecycle methods and test
 * methods. Shared servers are started on first use and stopped when the whole run ends; a {@link
 * Server#dedicated() dedicated} one lives as long as its test class. A server that cannot start
 * fails the test; nothing is ever skipped.
 *
 * <pre>{@code
 * @ExtendWith(ElasticsearchExtension.class)
 * class DeliveryIT {
 *   @Test
 *   void deliversEveryEvent(ElasticsearchServer es) { ... }
 * }
 * }</pre>
 */
public final class ElasticsearchExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(ElasticsearchExtension.class);

  /** Servers that failed to start, so that later tests fail fast with the same cause. */
  private static final ConcurrentMap<Profile, RuntimeException> FAILED = new ConcurrentHashMap<>();

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == ElasticsearchServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    Server spec = p.findAnnotation(Server.class).orElse(null);
    Profile profile = spec == null ? Profile.PLAIN : spec.value();
    boolean dedicated = spec != null && spec.dedicated();
    if (dedicated) {
      ExtensionContext classContext = classContext(c);
      return classContext
          .getStore(NS)
          .getOrComputeIfAbsent(
              "dedicated-" + profile, k -> new Handle(start(profile)), Handle.class)
          .server;
    }
    RuntimeException earlier = FAILED.get(profile);
    if (earlier != null) {
      throw new ParameterResolutionException(
          "Elasticsearch " + profile + " failed to start earlier", earlier);
    }
    try {
      return c.getRoot()
          .getStore(NS)
          .getOrComputeIfAbsent("shared-" + profile, k -> new Handle(start(profile)), Handle.class)
          .server;
    } catch (RuntimeException e) {
      FAILED.putIfAbsent(profile, e);
      throw e;
    }
  }

  private static ExtensionContext classContext(ExtensionContext c) {
    ExtensionContext cur = c;
    while (cur.getTestMethod().isPresent() && cur.getParent().isPresent()) {
      cur = cur.getParent().get();
    }
    return cur;
  }

  private static ElasticsearchServer start(Profile profile) {
    return ElasticsearchServer.start(profile.options());
  }

  /** Stops the server when its store closes. */
  private static final class Handle implements AutoCloseable {
    final ElasticsearchServer server;

    Handle(ElasticsearchServer server) {
      this.server = server;
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
