package org.replyensemble.comments.pages;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.web.util.UriUtils;

/**
 * Where the reply form keeps the author's secret of each comment posted from this browser: one
 * cookie per comment, named after it, holding the secret itself, HttpOnly (no script reads it),
 * SameSite=Strict (no other site's page makes the browser send it), Secure when the page came over
 * HTTPS, scoped to the post's pages ({@code /posts/{slug}}) and living exactly as long as the edit
 * window. The secret is the same proof the REST API takes, so the page needs no key of its own and
 * nothing to rotate (a cookie signed by the server and naming the comment would need both), and a
 * stolen cookie is worth what the answer to the post is worth: changes to one comment, for minutes.
 * The page shows Edit and Delete next to the comments it has a cookie for; whether the secret is
 * right is checked only when one is used.
 */
final class AuthorCookies {

    private static final String PREFIX = "comment-";

    private AuthorCookies() {
    }

    static void keep(HttpServletRequest request, HttpServletResponse response, String slug, UUID commentId, String secret,
            Duration window) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, slug, commentId, secret, window).toString());
    }

    static void forget(HttpServletRequest request, HttpServletResponse response, String slug, UUID commentId) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, slug, commentId, "", Duration.ZERO).toString());
    }

    /** The comments this browser holds a secret for (and may therefore offer to edit or delete). */
    static Set<UUID> mine(HttpServletRequest request) {
        Set<UUID> mine = new LinkedHashSet<>();
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return mine;
        }
        for (Cookie cookie : cookies) {
            if (cookie.getName().startsWith(PREFIX) && !cookie.getValue().isBlank()) {
                UUID id = ThreadPageController.uuidOrNull(cookie.getName().substring(PREFIX.length()));
                if (id != null) {
                    mine.add(id);
                }
            }
        }
        return mine;
    }

    static Optional<String> secretOf(HttpServletRequest request, UUID commentId) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (cookie.getName().equals(PREFIX + commentId) && !cookie.getValue().isBlank()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    private static ResponseCookie cookie(HttpServletRequest request, String slug, UUID commentId, String value, Duration maxAge) {
        return ResponseCookie.from(PREFIX + commentId, value)
                .path(request.getContextPath() + "/posts/" + UriUtils.encodePathSegment(slug, java.nio.charset.StandardCharsets.UTF_8))
                .httpOnly(true)
                .secure(request.isSecure())
                .sameSite("Strict")
                .maxAge(maxAge)
                .build();
    }
}
