package org.replyensemble.posts.posts;

import java.util.Locale;

import org.replyensemble.events.Person;
import org.replyensemble.support.problems.Problems;
import org.replyensemble.support.security.Account;
import org.replyensemble.support.security.Role;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * Who a post is by, and who may change it. A post is by the account that publishes it: its name
 * and address come from the account (an address nobody else can set, so the replies to a post are
 * mailed to its real author). Its author edits it; an operator may only open or close its
 * comments (to calm a thread under attack), never change the author's words.
 */
final class Authorship {

    private Authorship() {
    }

    /** The post's author: the account, which a given {@code author} may only repeat. */
    static Person authorOf(NewPost.Author claimed, Account account) {
        if (account.email() == null) {
            throw forbidden("account-without-address", "Account without an address",
                    "Your account has no verified address, and a post's author needs one: the replies to the post are"
                            + " mailed there. Ask the operator to set one (or your identity provider to vouch for it).");
        }
        if (claimed != null && !(claimed.name().strip().equals(account.name())
                && claimed.email().strip().toLowerCase(Locale.ROOT).equals(account.email().toLowerCase(Locale.ROOT)))) {
            throw forbidden("author-not-account", "The author is the signed-in account",
                    "A post is published under the account that publishes it: leave \"author\" out, or give exactly"
                            + " your account's name and address.");
        }
        return new Person(account.name(), account.email());
    }

    /** Refuses (403) an edit {@code editor} may not make to {@code post}. */
    static void requireMayEdit(Post post, Account editor, PostPatch patch) {
        if (editor.id().equals(post.authorAccount()) && editor.hasRole(Role.AUTHOR)) {
            return;
        }
        if (editor.hasRole(Role.OPERATOR)) {
            if (patch.title() == null && patch.body() == null) {
                return;
            }
            throw forbidden("operator-may-only-open-or-close", "Operators open and close comments",
                    "An operator may open or close a post's comments; its title and body are its author's.");
        }
        throw forbidden("not-post-author", "Not your post", "Only the post's author edits it.");
    }

    private static ErrorResponseException forbidden(String type, String title, String detail) {
        return Problems.exception(HttpStatus.FORBIDDEN, type, title, detail);
    }
}
