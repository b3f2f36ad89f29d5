package dev.llmguard.proxy.standin;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away P-256 key and self-signed certificate for {@code localhost} and {@code 127.0.0.1},
 * made in memory when the stand-in starts. Clients trust exactly this certificate (never a JVM-wide
 * trust store). Immutable.
 */
public final class SelfSignedCertificate {

  private static final char[] PASSWORD = "stand-in".toCharArray();

  private final X509Certificate certificate;
  private final KeyStore keyStore;

  private SelfSignedCertificate(X509Certificate certificate, KeyStore keyStore) {
    this.certificate = certificate;
    this.keyStore = keyStore;
  }

  /**
   * Makes a key pair and a certificate valid for a day.
   *
   * @throws IllegalStateException when the JDK lacks EC keys or SHA256withECDSA
   */
  public static SelfSignedCertificate create() {
    try {
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
      kpg.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair kp = kpg.generateKeyPair();
      X500Name name = new X500Name("CN=localhost, O=llm-guard demo stand-in");
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(64, new SecureRandom()),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(Duration.ofDays(1))),
              name,
              kp.getPublic());
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(
                    GeneralName.iPAddress, InetAddress.getByName("127.0.0.1").getHostAddress())
              }));
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("stand-in", kp.getPrivate(), PASSWORD, new Certificate[] {cert});
      return new SelfSignedCertificate(cert, ks);
    } catch (GeneralSecurityException
        | OperatorCreationException
        | CertIOException
        | UnknownHostException e) {
      throw new IllegalStateException("Cannot make the stand-in's certificate: " + e, e);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot make the stand-in's key store: " + e, e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** A key store holding the key and certificate (alias {@code stand-in}). */
  KeyStore keyStore() {
    return keyStore;
  }

  String keyStorePassword() {
    return new String(PASSWORD);
  }
}
