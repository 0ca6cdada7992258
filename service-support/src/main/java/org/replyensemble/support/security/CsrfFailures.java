package org.replyensemble.support.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * A browser form sent without its page's CSRF token (the cookie expired or was cleared, or another
 * site made the browser post it) gets a short page saying what to do, in the site's look, and
 * nothing was changed; every other refusal goes to {@link SecurityProblems} as before. Written
 * here rather than rendered by a template: it happens in the security filters, before any
 * controller or view.
 */
final class CsrfFailures implements AccessDeniedHandler {

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Please send the form again</title><link rel="stylesheet" href="/assets/site.css"></head>
            <body><main><h1>Please send the form again</h1>
            <p>This form could not be checked (it may have been open for a long time, or your browser's cookies were
            cleared). Nothing was changed. Go back, reload the page and send it again.</p></main></body></html>
            """;

    private final AccessDeniedHandler others;

    CsrfFailures(AccessDeniedHandler others) {
        this.others = others;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException, ServletException {
        if (!(denied instanceof CsrfException)) {
            others.handle(request, response, denied);
            return;
        }
        response.setStatus(HttpStatus.FORBIDDEN.value());
        response.setContentType(MediaType.TEXT_HTML_VALUE + ";charset=UTF-8");
        response.getOutputStream().write(PAGE.getBytes(StandardCharsets.UTF_8));
    }
}
