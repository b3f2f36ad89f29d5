package dev.llmguard.proxy;

import dev.llmguard.LlmGuardException;
import dev.llmguard.proxy.demo.Demo;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * Entry point of {@code llm-guard-proxy.jar}.
 *
 * <pre>
 * java -jar llm-guard-proxy.jar demo    # the self-contained demo, then exit
 * java -jar llm-guard-proxy.jar serve   # the proxy in front of Azure OpenAI (the default)
 * </pre>
 *
 * Exit codes: 0 done, 1 failure, 2 configuration error (message on stderr), 64 bad usage.
 */
public final class ProxyMain {

  private ProxyMain() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "serve" : args[0];
    Map<String, String> env = System.getenv();
    try {
      switch (command) {
        case "demo" -> new Demo(env, System.out, UnaryOperator.identity()).run();
        case "serve" -> serve(env);
        case "-h", "--help", "help" -> usage(0);
        default -> usage(64);
      }
    } catch (LlmGuardException e) {
      System.err.println("llm-guard-proxy: " + e.getMessage());
      System.exit(2);
    }
  }

  private static void serve(Map<String, String> env) throws InterruptedException {
    ProxyConfig config = ProxyConfig.fromEnvironment(env);
    ProxyApp app =
        ProxyApp.start(
            config,
            AzureClients.fromEnvironment(env),
            ProxyApp.sinkFromEnvironment(env, config),
            UnaryOperator.identity());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  stopped.countDown();
                },
                "llm-guard-proxy-shutdown"));
    System.out.println(
        "llm-guard proxy listening on "
            + app.baseUri()
            + " (POST /proxy/openai, POST /v1/chat/completions, GET /healthz, GET /metrics)");
    stopped.await();
  }

  private static void usage(int code) {
    System.out.println(
        "usage: java -jar llm-guard-proxy.jar [serve|demo]\n"
            + "  serve  run the proxy in front of Azure OpenAI (AZURE_OPENAI_API_KEY,"
            + " AZURE_OPENAI_ENDPOINT, AZURE_DEPLOYMENT_NAME; ELASTIC_URL for Elasticsearch)\n"
            + "  demo   start a stand-in for Azure OpenAI, the sink and the proxy, send scripted"
            + " traffic and print a summary");
    System.exit(code);
  }
}
