package org.replyensemble.support.security;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Cross-site request forgery, for an API without sessions. A browser that once signed in with
 * HTTP Basic sends the cached credentials with every later request to that origin, also with a
 * form another site makes it submit: a hidden form on any page could POST to
 * {@code /api/deliveries/42/retry} as the operator. Cookies' SameSite rules do not cover Basic
 * credentials, and Spring Security's CSRF tokens need a session or a cookie the API does not have.
 * <p>
 * The rule here: on a request that changes something (any method but GET, HEAD, OPTIONS, TRACE),
 * credentials count only when
 * <ul>
 *   <li>its {@code Content-Type} is JSON ({@code application/json} or {@code +json}): an HTML form
 *       can send only {@code application/x-www-form-urlencoded}, {@code multipart/form-data} and
 *       {@code text/plain}, and a script on another site that sets a JSON type needs a CORS
 *       preflight, which these services never grant; and</li>
 *   <li>the browser does not mark it as coming from another site ({@code Sec-Fetch-Site} other than
 *       {@code same-origin} or {@code none}), a second line for browsers that send that header.</li>
 * </ul>
 * Otherwise the credentials are ignored, not refused: the request goes on as an anonymous one, so
 * a public endpoint (the unsubscribe page's form) still works for a reader whose browser happens to
 * hold an operator's credentials, and a protected one answers 401 saying why, with nothing changed.
 * The clients of the API (curl, scripts, the seed replay) send JSON anyway; a call without a body
 * (a retry) sends {@code Content-Type: application/json} too.
 */
final class CrossSiteCredentialsFilter extends OncePerRequestFilter {

    /** Request attribute: why the credentials were ignored (the 401 problem says it). */
    static final String IGNORED_BECAUSE = CrossSiteCredentialsFilter.class.getName() + ".IGNORED_BECAUSE";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Set<String> SAME_SITE_OR_USER = Set.of("same-origin", "none");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String reason = reasonToIgnoreCredentials(request);
        if (reason == null) {
            chain.doFilter(request, response);
            return;
        }
        request.setAttribute(IGNORED_BECAUSE, reason);
        chain.doFilter(new WithoutCredentials(request), response);
    }

    static String reasonToIgnoreCredentials(HttpServletRequest request) {
        if (request.getHeader(HttpHeaders.AUTHORIZATION) == null || SAFE_METHODS.contains(request.getMethod())) {
            return null;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !SAME_SITE_OR_USER.contains(site)) {
            return "the browser sent it from another site (Sec-Fetch-Site)";
        }
        if (!isJson(request.getContentType())) {
            return "it is not a JSON request";
        }
        return null;
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getType().equals("application")
                    && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The request as the authentication filters see it: without an Authorization header. */
    private static final class WithoutCredentials extends HttpServletRequestWrapper {

        WithoutCredentials(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name)).toList());
        }
    }
}
