package dev.portico.edge.pipeline;

import dev.portico.contract.RequestPath;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The walk over a site's filters: request steps in order, response steps in reverse, answers short-cut. */
class FilterChainTest {

  private final List<String> steps = new ArrayList<>();

  /** A filter that records its steps, and answers, waits or skips as told. */
  private final class Recording implements SiteFilter {
    private final String name;
    private final boolean applies;
    private final Step decision;
    private final String bodySuffix;

    Recording(String name, boolean applies, Step decision, String bodySuffix) {
      this.name = name;
      this.applies = applies;
      this.decision = decision;
      this.bodySuffix = bodySuffix;
    }

    @Override
    public boolean appliesTo(FilterContext context) {
      return applies;
    }

    @Override
    public Step onRequest(FilterContext context) {
      steps.add(name + ".request");
      return decision;
    }

    @Override
    public void onBackendRequest(FilterContext context, MultiMap headers) {
      steps.add(name + ".backend");
      headers.add("X-Seen-By", name);
    }

    @Override
    public void onResponse(FilterContext context) {
      steps.add(name + ".response");
    }

    @Override
    public BodyTransform onResponseBody(FilterContext context) {
      return bodySuffix == null ? null : new BodyTransform() {
        @Override
        public Buffer apply(Buffer chunk) {
          return chunk.copy().appendString(bodySuffix);
        }

        @Override
        public Buffer finish() {
          return Buffer.buffer();
        }
      };
    }
  }

  private SiteFilter passing(String name) {
    return new Recording(name, true, Step.PASS, null);
  }

  private static FilterContext context() {
    FilterContext context = new FilterContext(new ClientRequest(HttpMethod.GET, "a.test", RequestPath.parse("/"),
        HttpHeaders.headers(), false, "127.0.0.1", "a.test"), new SiteInfo("a.test", false, List.of(), null));
    return context;
  }

  @Test
  void requestStepsRunInOrderAndResponseStepsInReverse() {
    FilterChain chain = new FilterChain(new SiteFilter[] {passing("a"), new Recording("b", false, Step.PASS, null),
        new Recording("c", true, Step.PASS, "+c"), new Recording("d", true, Step.PASS, "+d")});
    FilterContext context = context();
    assertSame(Step.PASS, chain.admit(context), "synchronous filters decide synchronously, and all passed");
    MultiMap backend = HttpHeaders.headers();
    chain.toBackend(context, backend);
    assertEquals(List.of("a", "c", "d"), backend.getAll("X-Seen-By"), "b does not apply");
    context.respond(200, HttpHeaders.headers());
    BodyTransform body = chain.onResponse(context, true);
    assertEquals(List.of("a.request", "c.request", "d.request", "a.backend", "c.backend", "d.backend",
        "d.response", "c.response", "a.response"), steps);
    assertEquals("x+d+c", body.apply(Buffer.buffer("x")).toString(), "the innermost filter's transform comes first");
  }

  @Test
  void anAnswerEndsTheRequestWalkAndGoesOutThroughTheFiltersBeforeIt() {
    Answer redirect = new Answer(302, null).header("Location", "/login");
    FilterChain chain = new FilterChain(new SiteFilter[] {passing("a"), new Recording("sso", true, Step.answer(redirect),
        null), passing("c")});
    FilterContext context = context();
    assertSame(redirect, chain.admit(context).answer());
    context.respond(302, redirect.headers());
    assertNull(chain.onResponse(context, false));
    assertEquals(List.of("a.request", "sso.request", "a.response"), steps);
  }

  @Test
  void aDecisionThatNeedsIoResumesTheWalkWhereItStopped() {
    Promise<Step> lookup = Promise.promise();
    FilterChain chain = new FilterChain(new SiteFilter[] {passing("a"), new Recording("b", true,
        Step.later(lookup.future()), null), passing("c")});
    FilterContext context = context();
    Step admitted = chain.admit(context);
    assertFalse(admitted.later().isComplete());
    assertEquals(List.of("a.request", "b.request"), steps);
    lookup.complete(Step.PASS);
    assertSame(Step.PASS, admitted.later().result());
    assertEquals(List.of("a.request", "b.request", "c.request"), steps);
  }

  @Test
  void aRejectedCheckAnswersAndAFailedOneFails() {
    Promise<Void> check = Promise.promise();
    FilterChain rejecting = new FilterChain(new SiteFilter[] {new Recording("limit", true, Step.after(check.future()),
        null)});
    Step limited = rejecting.admit(context());
    check.fail(new Rejection(429, "too many requests", "slow down", "Retry-After", "5"));
    Answer answer = limited.later().result().answer();
    assertEquals(429, answer.status());
    assertEquals("5", answer.headers().get("Retry-After"));
    assertTrue(answer.body().toString().contains("\"error\":\"too many requests\""));

    Promise<Void> broken = Promise.promise();
    FilterChain failing = new FilterChain(new SiteFilter[] {new Recording("x", true, Step.after(broken.future()), null)});
    Step failed = failing.admit(context());
    broken.fail(new IllegalStateException("redis said no"));
    assertTrue(failed.later().failed());
  }
}
