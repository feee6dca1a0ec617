package dev.portico.cert;

import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.shredzone.acme4j.util.KeyPairUtils;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Talks to the ACME server with acme4j. Every method blocks (network round trips and polling):
 * call them from a worker thread, never from an event loop.
 */
final class AcmeClient {

  /** A challenge of an order and the domain it proves control of (without a leading "*."). */
  record Answer(String domain, Challenge challenge) {
  }

  /**
   * Makes the answers of one challenge type available to the CA, and withdraws them after. Its
   * methods block (they run on the issuing worker thread).
   */
  interface Responder {
    /** The challenge type answered, such as {@link Http01Challenge#TYPE}. */
    String type();

    /** How the answers are published: all at once unless the responder needs them in turns. */
    default List<List<Answer>> turns(List<Answer> answers) {
      return answers.isEmpty() ? List.of() : List.of(answers);
    }

    /** Publishes the answers; returns once the CA can see them. */
    void publish(List<Answer> answers) throws Exception;

    /** Withdraws what {@link #publish} published, also after it failed half-way; never throws. */
    void withdraw(List<Answer> answers);
  }

  /** A certificate chain (leaf first) with its private key, and the CA's renewal suggestion. */
  record Issued(List<X509Certificate> chain, KeyPair key, Instant renewalSuggestion) {
  }

  private final Session session;
  private final KeyPair accountKey;
  private final String email;
  private Login login;

  AcmeClient(String directory, Path caBundle, KeyPair accountKey, String email) {
    this.session = new Session(URI.create(directory), new TrustingProvider(caBundle));
    this.accountKey = accountKey;
    this.email = email;
  }

  /**
   * Orders a certificate for {@code names} (the first is the subject) and proves control of each
   * with the responder's challenge type, within {@code timeout}; {@code replacing} is the
   * certificate it renews, or {@code null}.
   *
   * @throws AcmeFailure saying what the CA refused or what timed out
   */
  Issued issue(List<String> names, Responder responder, Duration timeout, X509Certificate replacing)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    String subject = names.get(0);
    Login login = login();
    boolean ari = offersRenewalInfo();
    var builder = login.newOrder().domains(names);
    if (ari && replacing != null) {
      builder.replaces(replacing);
    }
    Order order = builder.create();
    List<Answer> answers = new ArrayList<>();
    for (Authorization authorization : order.getAuthorizations()) {
      if (authorization.getStatus() == Status.VALID) {
        continue;
      }
      String domain = authorization.getIdentifier().getDomain();
      Challenge challenge = authorization.findChallenge(responder.type())
          .orElseThrow(() -> new AcmeFailure("the CA offers no " + responder.type() + " challenge for " + domain));
      answers.add(new Answer(domain, challenge));
    }
    for (List<Answer> turn : responder.turns(answers)) {
      try {
        responder.publish(turn);
        // trigger all first, then wait: the CA validates them in parallel
        for (Answer answer : turn) {
          answer.challenge().trigger();
        }
        for (Answer answer : turn) {
          Status status = answer.challenge().waitForCompletion(remaining(deadline));
          if (status != Status.VALID) {
            throw new AcmeFailure(responder.type() + " challenge for " + answer.domain() + " failed: "
                + answer.challenge().getError().map(AcmeClient::describe).orElse("status " + status));
          }
        }
      } finally {
        responder.withdraw(turn);
      }
    }
    if (order.waitUntilReady(remaining(deadline)) != Status.READY) {
      throw new AcmeFailure("order for " + subject + " is not ready: "
          + order.getError().map(AcmeClient::describe).orElse("status " + order.getStatus()));
    }
    KeyPair key = KeyPairUtils.createECKeyPair("secp256r1");
    order.execute(key);
    if (order.waitForCompletion(remaining(deadline)) != Status.VALID) {
      throw new AcmeFailure("order for " + subject + " was not finalized: "
          + order.getError().map(AcmeClient::describe).orElse("status " + order.getStatus()));
    }
    org.shredzone.acme4j.Certificate certificate = order.getCertificate();
    List<X509Certificate> chain = certificate.getCertificateChain();
    return new Issued(chain, key, ari ? renewalSuggestion(chain.get(0)).orElse(null) : null);
  }

  /** Whether the CA offers renewal information (RFC 9773). */
  boolean offersRenewalInfo() throws AcmeException {
    return session.resourceUrlOptional(Resource.RENEWAL_INFO).isPresent();
  }

  /**
   * A time in the CA's suggested renewal window for {@code certificate} (RFC 9773); empty when
   * the CA offers no renewal information or the window has passed (renew now).
   */
  Optional<Instant> renewalSuggestion(X509Certificate certificate) throws AcmeException {
    if (!offersRenewalInfo()) {
      return Optional.empty();
    }
    var info = login().bindRenewalInfo(certificate);
    if (info.renewalIsOverdue(Instant.now())) {
      return Optional.of(Instant.now());
    }
    return info.getRandomProposal(null);
  }

  private synchronized Login login() throws AcmeException {
    if (login == null) {
      AccountBuilder account = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey);
      if (email != null && !email.isBlank()) {
        account.addEmail(email);
      }
      // with a known key this finds the existing account: every node shares one
      login = account.createLogin(session);
    }
    return login;
  }

  private static Duration remaining(Instant deadline) throws AcmeFailure {
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw new AcmeFailure("the CA did not answer in time");
    }
    return left;
  }

  private static String describe(Problem problem) {
    String detail = problem.getDetail().orElse(null);
    return detail != null ? detail : problem.getType().toString();
  }

  /** A refusal or failure with a message meant for the certificate's state. */
  static final class AcmeFailure extends Exception {
    AcmeFailure(String message) {
      super(message);
    }
  }

  /**
   * The generic provider, trusting the JDK's CAs plus those of a PEM bundle (a private ACME
   * server such as Pebble serves its directory with a certificate of its own CA).
   */
  private static final class TrustingProvider extends GenericAcmeProvider {
    private final SSLContext sslContext;

    TrustingProvider(Path caBundle) {
      this.sslContext = caBundle == null ? null : sslContext(caBundle);
    }

    @Override
    public HttpClient createHttpClient(NetworkSettings settings) {
      HttpClient.Builder builder = HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(settings.getTimeout())
          .proxy(settings.getProxySelector());
      if (sslContext != null) {
        builder.sslContext(sslContext);
      }
      return builder.build();
    }

    private static SSLContext sslContext(Path caBundle) {
      try {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        int n = 0;
        for (var manager : jdk.getTrustManagers()) {
          if (manager instanceof X509TrustManager x509) {
            for (X509Certificate ca : x509.getAcceptedIssuers()) {
              trusted.setCertificateEntry("jdk-" + n++, ca);
            }
          }
        }
        try (InputStream in = Files.newInputStream(caBundle)) {
          for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            trusted.setCertificateEntry("bundle-" + n++, ca);
          }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot read the CA bundle " + caBundle + ": " + e.getMessage(), e);
      }
    }
  }
}
