package org.replyensemble.support.security;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.replyensemble.support.problems.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.ErrorResponseException;

import tools.jackson.databind.json.JsonMapper;

/**
 * 401 and 403 as RFC 9457 problem details, like every other error of the services. A 401 carries
 * the challenges a client can answer (RFC 9110 11.6.1): {@code Basic} for the configured accounts,
 * and {@code Bearer} (RFC 6750, with the token's error when one was refused) when an identity
 * provider is configured.
 */
final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

    static final String REALM = "replyensemble";
    static final URI AUTHENTICATION_REQUIRED = URI.create(Problems.TYPE_BASE + "authentication-required");
    static final URI FORBIDDEN = URI.create(Problems.TYPE_BASE + "forbidden");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final boolean bearerTokens;
    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();

    SecurityProblems(boolean bearerTokens) {
        this.bearerTokens = bearerTokens;
        bearer.setRealmName(REALM);
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        if (bearerTokens) {
            bearer.commence(request, response, failure); // the Bearer challenge, with the token's error if any
        }
        String detail;
        Object ignored = request.getAttribute(CrossSiteCredentialsFilter.IGNORED_BECAUSE);
        if (ignored != null) {
            detail = "The credentials of this request were ignored: " + ignored + ". A call that changes something"
                    + " with an account must be a JSON request (Content-Type: application/json) and not a cross-site"
                    + " one, which no web page's form can send.";
        } else if (failure instanceof OAuth2AuthenticationException token) {
            detail = "The bearer token was not accepted"
                    + (token.getError().getDescription() == null ? "" : ": " + token.getError().getDescription());
        } else if (failure instanceof BadCredentialsException) {
            detail = "The username or password was not accepted.";
        } else {
            detail = "This call needs an account: HTTP Basic with a configured account"
                    + (bearerTokens ? ", or a bearer token from the identity provider." : ".");
        }
        write(response, HttpStatus.UNAUTHORIZED, problem(HttpStatus.UNAUTHORIZED, AUTHENTICATION_REQUIRED,
                "Authentication required", detail));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        write(response, HttpStatus.FORBIDDEN, problem(HttpStatus.FORBIDDEN, FORBIDDEN, "Not allowed",
                "Your account may not do this" + neededRoles(denied) + "."));
    }

    /** For code outside the filter chain that finds no account where it needs one. */
    static ErrorResponseException authenticationRequiredException() {
        return new ErrorResponseException(HttpStatus.UNAUTHORIZED, problem(HttpStatus.UNAUTHORIZED,
                AUTHENTICATION_REQUIRED, "Authentication required", "This call needs an account."), null);
    }

    /** " (it needs the role AUTHOR)" when the rule that refused says which roles would do. */
    private static String neededRoles(AccessDeniedException denied) {
        if (denied instanceof AuthorizationDeniedException refusal
                && refusal.getAuthorizationResult() instanceof AuthorityAuthorizationDecision decision) {
            Set<String> roles = new TreeSet<>();
            decision.getAuthorities().forEach(authority -> Role.parse(authority.getAuthority())
                    .ifPresent(role -> roles.add(role.name())));
            if (!roles.isEmpty()) {
                return roles.size() == 1 ? " (it needs the role " + roles.iterator().next() + ")"
                        : " (it needs one of the roles " + String.join(", ", roles) + ")";
            }
        }
        return "";
    }

    private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        return problem;
    }

    private static void write(HttpServletResponse response, HttpStatus status, ProblemDetail problem) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
