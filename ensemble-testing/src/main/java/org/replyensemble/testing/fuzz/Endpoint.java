package org.replyensemble.testing.fuzz;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One public endpoint as the fuzz test knows it: method, path template, a valid value for every
 * path variable and query parameter, and a valid body. Every case the fuzzer sends is derived
 * from this valid request, so a valid request is all an engineer writes to add an endpoint:
 * <pre>{@code
 * Endpoint.json("POST", "/api/posts/{postId}/comments", validComment).path("postId", postId)
 * Endpoint.get("/api/posts").query("page", "0").query("size", "20")
 * Endpoint.page("GET", "/unsubscribe").query("token", "some-token")
 * Endpoint.json("PATCH", "/api/posts/{id}", validPatch).path("id", id).header("Authorization", author.basic())
 * }</pre>
 */
public final class Endpoint {

    enum Body { NONE, JSON, FORM }

    final String method;
    final String template;
    final Body body;
    final String validBody;
    /** Errors may be answered with an HTML page (a page for browsers), not only a problem document. */
    final boolean page;
    final Map<String, String> pathValues = new LinkedHashMap<>();
    final Map<String, String> query = new LinkedHashMap<>();
    /** Sent with every request to this endpoint, e.g. the credentials of an account it needs. */
    final Map<String, String> headers = new LinkedHashMap<>();

    private Endpoint(String method, String template, Body body, String validBody, boolean page) {
        this.method = method;
        this.template = template;
        this.body = body;
        this.validBody = validBody;
        this.page = page;
    }

    /** A JSON API call without a body (GET, DELETE). */
    public static Endpoint get(String template) {
        return new Endpoint("GET", template, Body.NONE, null, false);
    }

    /** A JSON API call with a body; {@code validBody} must be accepted as it is. */
    public static Endpoint json(String method, String template, String validBody) {
        return new Endpoint(method, template, Body.JSON, validBody, false);
    }

    /** A form post ({@code application/x-www-form-urlencoded}), answered as JSON or as a page. */
    public static Endpoint form(String method, String template, String validForm) {
        return new Endpoint(method, template, Body.FORM, validForm, true);
    }

    /** A page for browsers, without a body. */
    public static Endpoint page(String method, String template) {
        return new Endpoint(method, template, Body.NONE, null, true);
    }

    public Endpoint path(String variable, Object validValue) {
        pathValues.put(variable, String.valueOf(validValue));
        return this;
    }

    public Endpoint query(String name, Object validValue) {
        query.put(name, String.valueOf(validValue));
        return this;
    }

    /**
     * A header every request to this endpoint carries, e.g. {@code header("Authorization", author.basic())}
     * for an endpoint that needs an account: its cases then reach the validation behind the sign-in.
     */
    public Endpoint header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The path with the valid values, each encoded as a path segment. */
    String path() {
        return path(Map.of());
    }

    /** The path with some variables replaced by raw (already encoded, possibly invalid) segments. */
    String path(Map<String, String> rawOverrides) {
        String path = template;
        for (Map.Entry<String, String> variable : pathValues.entrySet()) {
            String raw = rawOverrides.getOrDefault(variable.getKey(),
                    URLEncoder.encode(variable.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
            path = path.replace("{" + variable.getKey() + "}", raw);
        }
        return path;
    }

    String validQuery() {
        return query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** The query with one parameter's value replaced by a raw (already encoded, possibly invalid) one. */
    String queryWith(String name, String rawValue) {
        return query.keySet().stream()
                .map(key -> key + "=" + (key.equals(name) ? rawValue : URLEncoder.encode(query.get(key), StandardCharsets.UTF_8)))
                .collect(Collectors.joining("&"));
    }

    String target() {
        return target(path(), validQuery());
    }

    static String target(String path, String query) {
        return query == null || query.isEmpty() ? path : path + "?" + query;
    }

    String contentType() {
        return body == Body.FORM ? "application/x-www-form-urlencoded" : "application/json";
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
