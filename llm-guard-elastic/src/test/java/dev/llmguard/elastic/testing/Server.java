package dev.llmguard.elastic.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Chooses the test server injected into an {@link ElasticsearchServer} parameter. Without it a test
 * gets the shared {@link Profile#PLAIN} server.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Server {

  /** Which kind of server. */
  Profile value() default Profile.PLAIN;

  /**
   * {@code true}: a server of its own for the test class, started before and removed after it (for
   * tests that stop and start it); {@code false}: one server shared by every test of the run.
   */
  boolean dedicated() default false;
}
