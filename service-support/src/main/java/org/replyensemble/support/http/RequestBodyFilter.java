package org.replyensemble.support.http;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over the limit with a 413 problem, before anything reads them: a
 * declared Content-Length over the limit at once, a body without one (chunked) as soon as the
 * bytes read pass the limit, so the body is never held whole in memory first. Also refuses a
 * Content-Type no media type parser takes ({@code *}{@code /*}, {@code json}) with a 415: Spring
 * MVC fails on it with an IllegalArgumentException deep in its header handling (a 500 before).
 *
 * <p>Hand-written because neither Tomcat nor Spring MVC limits a non-form body: Tomcat's
 * maxPostSize covers form bodies only (it is set to the same limit, see
 * {@link TomcatProblemsCustomizer}), and Spring has no body size setting for MVC.
 */
public class RequestBodyFilter extends OncePerRequestFilter {

    private final long maxBytes;

    public RequestBodyFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            refuse(response);
            return;
        }
        if (!isUsable(request.getContentType())) {
            write(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, ProblemDocuments.forStatus(
                    HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "The Content-Type is not a concrete media type"));
            return;
        }
        chain.doFilter(request.getContentLengthLong() < 0 ? new Limited(request, maxBytes) : request, response);
    }

    private static boolean isUsable(String contentType) {
        if (contentType == null) {
            return true;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private void refuse(HttpServletResponse response) throws IOException {
        // The unread body is not worth reading: the connection closes after a 413.
        response.setHeader("Connection", "close");
        write(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, ProblemDocuments.forStatus(
                HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "The request body is larger than this service accepts (" + maxBytes + " bytes)"));
    }

    private static void write(HttpServletResponse response, int status, byte[] document) throws IOException {
        response.setStatus(status);
        response.setContentType(ProblemDocuments.CONTENT_TYPE);
        response.setContentLength(document.length);
        ProblemDocuments.write(response.getOutputStream(), document);
    }

    /** A request whose body stream stops with {@link RequestBodyTooLargeException} past the limit. */
    private static final class Limited extends HttpServletRequestWrapper {

        private final long maxBytes;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), maxBytes);
            }
            return stream;
        }

        @Override
        public java.io.BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
                    encoding == null ? java.nio.charset.StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }
    }

    private static final class CountingStream extends ServletInputStream {

        private final ServletInputStream in;
        private final long maxBytes;
        private long read;

        CountingStream(ServletInputStream in, long maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws RequestBodyTooLargeException {
            read += n;
            if (read > maxBytes) {
                throw new RequestBodyTooLargeException(maxBytes);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
