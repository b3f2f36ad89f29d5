/**
 * The built-in {@code secrets} detector: vendor credential formats, JWTs, PEM private keys,
 * passwords in URLs and generic high-entropy {@code name = value} assignments. Create it with
 * {@link dev.llmguard.detect.secrets.SecretsDetectorProvider}, whose {@code formats()} lists the
 * format names reported as metadata {@code format}; everything else in the package is internal.
 */
package dev.llmguard.detect.secrets;
