package dev.llmguard.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmguard.spi.Detector;
import dev.llmguard.spi.DetectorConfig;
import dev.llmguard.spi.Finding;
import dev.llmguard.spi.Phase;
import dev.llmguard.spi.ScanInput;
import dev.llmguard.spi.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/** Throwaway measurement harness; deleted before the branch is finished. */
public class EvalScratch {
  public static void main(String[] a) throws Exception {
    ObjectMapper om = new ObjectMapper();
    String mode = a[0];
    boolean errors = a.length > 2;
    if (mode.equals("pii")) {
      Detector d =
          new dev.llmguard.detect.pii.PiiDetectorProvider().create(DetectorConfig.empty("pii"));
      Map<String, String> map = Map.of("EMAIL", "EMAIL_ADDRESS");
      Map<String, int[]> c = new TreeMap<>();
      long chars = 0, t0 = System.nanoTime();
      for (String line : Files.readAllLines(Path.of(a[1]))) {
        JsonNode r = om.readTree(line);
        String text = r.get("text").asText();
        chars += text.length();
        List<Finding> fs = d.detect(ScanInput.of(Phase.PROMPT, text));
        List<String[]> gold = new ArrayList<>();
        for (JsonNode e : r.get("entities")) {
          int s = text.offsetByCodePoints(0, e.get("start").asInt());
          int en = text.offsetByCodePoints(0, e.get("end").asInt());
          gold.add(new String[] {e.get("type").asText(), "" + s, "" + en});
        }
        Set<String> covered =
            Set.of(
                "EMAIL_ADDRESS",
                "PHONE_NUMBER",
                "CREDIT_CARD",
                "IBAN_CODE",
                "US_SSN",
                "IP_ADDRESS");
        boolean[] hit = new boolean[gold.size()];
        for (Finding f : fs) {
          String type = map.getOrDefault(f.entity(), f.entity());
          Span sp = f.spans().get(0);
          boolean ok = false;
          for (int k = 0; k < gold.size(); k++) {
            String[] g = gold.get(k);
            if (g[0].equals(type)
                && sp.start() < Integer.parseInt(g[2])
                && Integer.parseInt(g[1]) < sp.end()) {
              ok = true;
              hit[k] = true;
            }
          }
          int[] cc = c.computeIfAbsent(type, x -> new int[3]);
          if (ok) cc[0]++;
          else {
            cc[1]++;
            if (errors)
              System.out.println(
                  "FP " + type + " [" + text.substring(sp.start(), sp.end()) + "] in: " + text);
          }
        }
        for (int k = 0; k < gold.size(); k++) {
          String[] g = gold.get(k);
          if (!covered.contains(g[0])) continue;
          if (!hit[k]) {
            c.computeIfAbsent(g[0], x -> new int[3])[2]++;
            if (errors)
              System.out.println(
                  "FN "
                      + g[0]
                      + " ["
                      + text.substring(Integer.parseInt(g[1]), Integer.parseInt(g[2]))
                      + "] in: "
                      + text);
          }
        }
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      int tp = 0, fp = 0, fn = 0;
      for (var e : c.entrySet()) {
        int[] v = e.getValue();
        // tp counted per finding; recall counted per gold span
        tp += v[0];
        fp += v[1];
        fn += v[2];
        print(e.getKey(), v[0], v[1], v[2]);
      }
      print("ALL", tp, fp, fn);
      System.out.printf("chars=%d secs=%.2f%n", chars, secs);
    } else {
      Detector d =
          ((dev.llmguard.spi.DetectorProvider)
                  Class.forName("dev.llmguard.detect.secrets.SecretsDetectorProvider")
                      .getDeclaredConstructor()
                      .newInstance())
              .create(DetectorConfig.empty("secrets"));
      int tp = 0, fp = 0, fn = 0, tn = 0;
      Map<String, int[]> perRule = new TreeMap<>();
      for (String line : Files.readAllLines(Path.of(a[1]))) {
        JsonNode r = om.readTree(line);
        String text = r.get("text").asText();
        boolean pos = r.get("label").asText().equals("secret");
        List<Finding> fs = d.detect(ScanInput.of(Phase.PROMPT, text));
        boolean pred = !fs.isEmpty();
        if (pos && pred) tp++;
        else if (pos) fn++;
        else if (pred) fp++;
        else tn++;
        if (errors && pos != pred) {
          System.out.println(
              (pos ? "FN " : "FP ")
                  + r.get("meta").get("rule").asText()
                  + " "
                  + (fs.isEmpty() ? "" : fs.get(0).metadata().get("format"))
                  + " :: "
                  + text.replace("\n", "\\n").substring(0, Math.min(200, text.length())));
        }
      }
      System.out.printf("secret rows: tp=%d fn=%d recall=%.3f%n", tp, fn, tp / (double) (tp + fn));
      System.out.printf(
          "rule-scope negatives: fp=%d tn=%d fpr=%.3f%n", fp, tn, fp / (double) (fp + tn));
      print("with-rule-negatives", tp, fp, fn);
    }
  }

  static void print(String k, int tp, int fp, int fn) {
    double p = tp + fp == 0 ? 1 : tp / (double) (tp + fp);
    double r = tp + fn == 0 ? 1 : tp / (double) (tp + fn);
    double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
    System.out.printf("%-20s tp=%4d fp=%4d fn=%4d P=%.3f R=%.3f F1=%.3f%n", k, tp, fp, fn, p, r, f);
  }
}
