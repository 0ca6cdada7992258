package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * README promises about what readers choose, end to end through the real services, broker and
 * SMTP server: a comment with notify:false gets no replies; "stop all reply emails" over HTTP,
 * from the link in an email, stops every thread's mail; a reader who unsubscribes after a
 * delivery was recorded but before it went out is not mailed (the check just before sending,
 * SUPPRESSED); and no problem response ever shows an address.
 */
class ReadersChoicesTest {

    private static final String DOMAIN = "choices.faults.example.org";
    private static final Pattern EVERYTHING_LINK = Pattern.compile("Stop all reply emails: (\\S+)");
    private static final Pattern THREAD_LINK = Pattern.compile("Stop emails about this post: (\\S+)");

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void notifyFalseStopEverythingAndTheCheckJustBeforeSending() {
        Set<Email> expected = new HashSet<>();
        Set<UUID> ids = new HashSet<>();
        ThreadLog a = blog.publish("Choices A", person("olga"));
        ThreadLog b = blog.publish("Choices B", person("pia"));

        UUID a1 = track(ids, blog.commentWithoutReplies(a, person("ann")).commentId());
        expected.add(email(a1, "olga"));
        UUID a2 = track(ids, blog.comment(a, person("ben"), null).commentId());
        expected.add(email(a2, "olga")); // not ann: she asked for no replies
        UUID b1 = track(ids, blog.comment(b, person("ben"), null).commentId());
        expected.add(email(b1, "pia"));
        UUID b2 = track(ids, blog.comment(b, person("cleo"), null).commentId());
        expected.addAll(Set.of(email(b2, "pia"), email(b2, "ben")));
        ensemble.awaitSettled(expected, ids);

        // Ben stops all reply emails with the link in his email about thread B.
        HttpResponse<String> stopped = Blog.oneClickUnsubscribe(link(b2, "ben", EVERYTHING_LINK));
        assertThat(stopped.statusCode()).as("one-click answer: %s", stopped.body()).isEqualTo(204);
        UUID b3 = track(ids, blog.comment(b, person("dan"), null).commentId());
        expected.addAll(Set.of(email(b3, "pia"), email(b3, "cleo")));
        UUID a3 = track(ids, blog.comment(a, person("eve"), null).commentId());
        expected.addAll(Set.of(email(a3, "olga"))); // not ben, on the other thread either; not ann
        ensemble.awaitSettled(expected, ids);

        // Recorded while cleo still wants thread B, due after she unsubscribed from it: not sent.
        URI cleoLeavesB = link(b3, "cleo", THREAD_LINK);
        ensemble.mailbox.stop();
        UUID b4;
        try {
            b4 = track(ids, blog.comment(b, person("fred"), null).commentId());
            await().atMost(Duration.ofSeconds(60)).until(() -> ensemble.notificationsDb().sql("""
                    select count(*) from delivery where comment_id = :id and status = 'PENDING' and attempts >= 1""")
                    .param("id", b4).query(Long.class).single() == 3);
            HttpResponse<String> left = Blog.oneClickUnsubscribe(cleoLeavesB);
            assertThat(left.statusCode()).as("one-click answer: %s", left.body()).isEqualTo(204);
        } finally {
            ensemble.mailbox.start();
        }
        expected.addAll(Set.of(email(b4, "pia"), email(b4, "dan")));
        ensemble.awaitSettled(expected, ids);

        Map<String, Object> cleosDelivery = ensemble.notificationsDb().sql("""
                select status, status_reason from delivery where comment_id = :id and recipient_email = :email""")
                .param("id", b4).param("email", "cleo@" + DOMAIN).query().singleRow();
        assertThat(cleosDelivery).containsEntry("status", "SUPPRESSED").containsEntry("status_reason", "unsubscribed from this thread");

        Figures.count("13 readers' choices", "notify:false, \"stop all reply emails\" over HTTP (both threads), an unsubscribe"
                + " between recording and sending (SUPPRESSED)", ids.size(), expected, ensemble.mailbox.received(), ids)
                .assertExactlyOnce();
    }

    @Test
    void noProblemResponseShowsAnAddress() {
        ThreadLog thread = blog.publish("Problems", person("gus"));
        String address = "hidden.person@" + DOMAIN;
        ensemble.confirmAddress(address);
        List<HttpResponse<String>> problems = List.of(
                blog.commentBody(thread.postId(), Map.of("author", Map.of("name", "Hidden", "email", address), "body", "")),
                blog.commentBody(thread.postId(), Map.of("author", Map.of("name", "Hidden\u0007", "email", address), "body", "x")),
                blog.commentBody(thread.postId(), Map.of("author", Map.of("name", "Hidden", "email", address), "body", "x",
                        "parentId", UUID.randomUUID().toString())),
                blog.commentBody(UUID.randomUUID(), Map.of("author", Map.of("name", "Hidden", "email", address), "body", "x")));
        assertThat(problems).extracting(HttpResponse::statusCode).containsExactly(400, 400, 422, 404);
        for (HttpResponse<String> problem : problems) {
            assertThat(problem.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(problem.body()).doesNotContainIgnoringCase(address).doesNotContainIgnoringCase("hidden.person");
        }
    }

    /** The link of that kind in the email, on the instance in this JVM (emails name the configured public base URL). */
    private URI link(UUID commentId, String name, Pattern kind) {
        Matcher matcher = kind.matcher(ensemble.mailbox.text(commentId, name + "@" + DOMAIN));
        assertThat(matcher.find()).isTrue();
        URI inEmail = URI.create(matcher.group(1));
        return ensemble.notificationService().resolve(inEmail.getRawPath() + "?" + inEmail.getRawQuery());
    }

    private static UUID track(Set<UUID> ids, UUID id) {
        ids.add(id);
        return id;
    }

    private static Email email(UUID commentId, String name) {
        return new Email(commentId, name + "@" + DOMAIN);
    }

    private static Blog.Person person(String name) {
        return new Blog.Person(name, name + "@" + DOMAIN);
    }
}
