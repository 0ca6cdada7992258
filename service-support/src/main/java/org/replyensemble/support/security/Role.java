package org.replyensemble.support.security;

import java.util.Locale;
import java.util.Optional;

/**
 * What an account may do. A role is coarse on purpose: rights on one post (its author edits it)
 * are decided by the service that owns the post, from {@link Account#id()}. A new role (a
 * MODERATOR for issue 10) is one more constant here and the rules that use it.
 */
public enum Role {

    /** Publishes posts and edits their own. */
    AUTHOR,

    /** Runs the blog: the delivery log, retries, closing a thread. */
    OPERATOR;

    /** The authority Spring Security's {@code hasRole(...)} checks. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** "author", "AUTHOR" and "ROLE_author" all name {@link #AUTHOR}; anything else is no role of this system. */
    public static Optional<Role> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String name = text.strip().toUpperCase(Locale.ROOT);
        if (name.startsWith("ROLE_")) {
            name = name.substring("ROLE_".length());
        }
        for (Role role : values()) {
            if (role.name().equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
