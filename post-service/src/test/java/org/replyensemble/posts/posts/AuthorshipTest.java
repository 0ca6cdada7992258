package org.replyensemble.posts.posts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.replyensemble.support.security.Account;
import org.replyensemble.support.security.Role;
import org.springframework.web.ErrorResponseException;

class AuthorshipTest {

    private static final Account ANN = new Account("basic:ann", "Ann", "ann@example.org", Set.of(Role.AUTHOR));
    private static final Account BEA = new Account("jwt:bea", "Bea", "bea@example.org", Set.of(Role.AUTHOR));
    private static final Account OLGA = new Account("basic:olga", "Olga", null, Set.of(Role.OPERATOR));
    private static final PostPatch CLOSE = new PostPatch(null, null, false);
    private static final PostPatch RETITLE = new PostPatch("New title", null, null);

    @Test
    void theAuthorIsTheAccountAndABodyMayOnlyRepeatIt() {
        assertThat(Authorship.authorOf(null, ANN).email()).isEqualTo("ann@example.org");
        assertThat(Authorship.authorOf(new NewPost.Author("Ann ", "ANN@example.org"), ANN).name()).isEqualTo("Ann");
        assertRefused(() -> Authorship.authorOf(new NewPost.Author("Ann", "victim@example.org"), ANN), "author-not-account");
        assertRefused(() -> Authorship.authorOf(new NewPost.Author("Bea", "ann@example.org"), ANN), "author-not-account");
        assertRefused(() -> Authorship.authorOf(null, new Account("jwt:x", "X", null, Set.of(Role.AUTHOR))), "account-without-address");
    }

    @Test
    void theAuthorEditsEverythingAnOperatorOnlyOpensAndClosesOthersNothing() {
        Post annsPost = post("basic:ann");
        assertThatCode(() -> Authorship.requireMayEdit(annsPost, ANN, RETITLE)).doesNotThrowAnyException();
        assertThatCode(() -> Authorship.requireMayEdit(annsPost, OLGA, CLOSE)).doesNotThrowAnyException();
        assertRefused(() -> Authorship.requireMayEdit(annsPost, OLGA, RETITLE), "operator-may-only-open-or-close");
        assertRefused(() -> Authorship.requireMayEdit(annsPost, BEA, CLOSE), "not-post-author");
        assertRefused(() -> Authorship.requireMayEdit(annsPost, new Account("basic:ann", "Ann", "ann@example.org", Set.of()), CLOSE),
                "not-post-author");
    }

    @Test
    void aPostFromBeforeAccountsIsNobodysToEditButAnOperatorCanCloseIt() {
        Post legacy = post(null);
        assertRefused(() -> Authorship.requireMayEdit(legacy, ANN, CLOSE), "not-post-author");
        assertThatCode(() -> Authorship.requireMayEdit(legacy, OLGA, CLOSE)).doesNotThrowAnyException();
    }

    private static Post post(String account) {
        return new Post(UUID.randomUUID(), "slug", "Title", "Body", "Ann", "ann@example.org", account, Instant.now(), true, 1);
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String type) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ErrorResponseException.class, e -> {
            assertThat(e.getStatusCode().value()).isEqualTo(403);
            assertThat(e.getBody().getType()).isEqualTo(URI.create("https://replyensemble.org/problems/" + type));
        });
    }
}
