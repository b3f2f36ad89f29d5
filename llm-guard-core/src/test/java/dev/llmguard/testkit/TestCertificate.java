package dev.llmguard.testkit;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed EC certificate for {@code localhost} and {@code 127.0.0.1}, generated in memory at
 * test time: no key material in the repository and no JVM-wide trust store change. Used by the
 * provider adapters' tests to run the real SDK clients over HTTPS against local wire servers. Needs
 * {@code org.bouncycastle:bcpkix-jdk18on} on the test class path.
 */
public final class TestCertificate {
  private static final char[] PASSWORD = "llm-guard-test".toCharArray();

  private final X509Certificate certificate;
  private final KeyPair keys;

  private TestCertificate(X509Certificate certificate, KeyPair keys) {
    this.certificate = certificate;
    this.keys = keys;
  }

  /** Generates an EC P-256 key and a certificate valid for one day. */
  public static TestCertificate generate() {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = gen.generateKeyPair();
      X500Name name = new X500Name("CN=localhost, O=llm-guard tests");
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(now.toEpochMilli()),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(Duration.ofDays(1))),
              name,
              pair.getPublic());
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
              }));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      return new TestCertificate(cert, pair);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot generate the test certificate", e);
    }
  }

  /** The certificate itself. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The server side: presents this certificate. */
  public SSLContext serverContext() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("server", keys.getPrivate(), PASSWORD, new X509Certificate[] {certificate});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASSWORD);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot build the server TLS context", e);
    }
  }

  /** The client side: a trust manager factory that trusts this certificate only. */
  public TrustManagerFactory trustManagerFactory() {
    try {
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      ts.setCertificateEntry("server", certificate);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ts);
      return tmf;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot build the client trust store", e);
    }
  }

  /** The client side: trusts this certificate only. */
  public X509TrustManager trustManager() {
    return (X509TrustManager) trustManagerFactory().getTrustManagers()[0];
  }

  /** A client socket factory over {@link #trustManager()}. */
  public javax.net.ssl.SSLSocketFactory clientSocketFactory() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new javax.net.ssl.TrustManager[] {trustManager()}, new SecureRandom());
      return ctx.getSocketFactory();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot build the client TLS context", e);
    }
  }
}
