package org.replyensemble.support.http;

import java.io.IOException;

/** Thrown while reading a body (sent without Content-Length, e.g. chunked) once it passed the limit. */
public class RequestBodyTooLargeException extends IOException {

    private final long limit;

    public RequestBodyTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
