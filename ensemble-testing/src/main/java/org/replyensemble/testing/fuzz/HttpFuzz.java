package org.replyensemble.testing.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fuzz test of a service's public HTTP endpoints, over a real socket to the real server, so what
 * Tomcat refuses before Spring sees it is covered as well. From each endpoint's valid request it
 * derives requests that must be refused (malformed and wrongly typed JSON, control characters and
 * invalid Unicode in every text field, bodies over the limit with and without Content-Length, wrong
 * methods and content types, invalid path segments) or may be answered either way (odd query
 * values), plus broken HTTP (request lines, headers, framing), and checks every answer:
 * <ul>
 *   <li>never a server error (a 501 or 505 for a method or HTTP version the server does not
 *       implement is the correct answer, not a failure);</li>
 *   <li>every error is an RFC 9457 problem document ({@code application/problem+json} with
 *       {@code type}, {@code title} and {@code status}), or an HTML page for page endpoints;</li>
 *   <li>no stack trace and no server name or version in any answer;</li>
 *   <li>nothing stored: every counter given to {@link #storing} reads the same after each request.</li>
 * </ul>
 * The random parts (junk text, junk bytes) come from a seed, printed with every failure and
 * settable with {@code -Dfuzz.seed=...}, so a failure can be replayed.
 */
public final class HttpFuzz {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final String[] LEAKS = { "Apache Tomcat", "Tomcat/", "Exception", "\tat ", "at org.", "at java.", "<pre>" };

    /** Path segments a path variable gets instead of its valid value, already %-encoded where meant. */
    private static final Map<String, String> BAD_SEGMENTS = Map.ofEntries(
            Map.entry("encoded NUL", "%00"),
            Map.entry("invalid escape", "%ZZ"),
            Map.entry("cut escape", "abc%2"),
            Map.entry("encoded slash and dots", "..%2F..%2Fetc%2Fpasswd"),
            Map.entry("encoded dot-dot", "%2e%2e"),
            Map.entry("encoded backslash", "a%5Cb"),
            Map.entry("overlong UTF-8 dot", "%C0%AE%C0%AE"),
            Map.entry("invalid UTF-8", "%FF%FE"),
            Map.entry("encoded surrogate", "%ED%A0%80"),
            Map.entry("emoji", "%F0%9F%98%80"),
            Map.entry("right-to-left override", "%E2%80%AEfdp.exe"),
            Map.entry("path parameter", "x;jsessionid=0"),
            Map.entry("encoded control", "a%01b%1Bc"),
            Map.entry("3,000 characters", "s".repeat(3_000)),
            Map.entry("a number past long", "99999999999999999999999"),
            Map.entry("negative number", "-1"));

    /** Query values a parameter gets instead of its valid value; some are valid, so either answer is fine. */
    private static final Map<String, String> ODD_QUERY_VALUES = Map.ofEntries(
            Map.entry("negative", "-1"),
            Map.entry("int min", "-2147483648"),
            Map.entry("int max", "2147483647"),
            Map.entry("int max + 1", "2147483648"),
            Map.entry("20 digits", "99999999999999999999"),
            Map.entry("not a number", "abc"),
            Map.entry("exponent", "1e3"),
            Map.entry("hex", "0x10"),
            Map.entry("empty", ""),
            Map.entry("padded", "%201"),
            Map.entry("encoded NUL", "%00"),
            Map.entry("invalid escape", "%ZZ"),
            Map.entry("right-to-left override", "%E2%80%AE1"),
            Map.entry("2,000 characters", "9".repeat(2_000)),
            Map.entry("list", "1,2"));

    private final RawHttp http;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final Map<String, LongSupplier> stored = new LinkedHashMap<>();
    private long maxBodyBytes = 64 * 1024;
    private long seed = Long.getLong("fuzz.seed", 20261130L);
    private int requests;

    private HttpFuzz(String host, int port) {
        this.http = new RawHttp(host, port);
    }

    public static HttpFuzz against(int port) {
        return new HttpFuzz("127.0.0.1", port);
    }

    public HttpFuzz endpoint(Endpoint endpoint) {
        endpoints.add(endpoint);
        return this;
    }

    /** Something that must not change while the fuzz runs (a row count, a sum of revisions...). */
    public HttpFuzz storing(String what, LongSupplier counter) {
        stored.put(what, counter);
        return this;
    }

    /** The service's body limit (http.max-body-size): bodies just past it must get a 413. */
    public HttpFuzz maxBodyBytes(long bytes) {
        this.maxBodyBytes = bytes;
        return this;
    }

    public HttpFuzz seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Sends every case; returns what went wrong (empty when nothing did). */
    public List<String> run() {
        Random random = new Random(seed);
        List<String> violations = new ArrayList<>();
        Map<String, Long> before = snapshot();
        for (Case fuzzCase : cases(random)) {
            requests++;
            RawHttp.Response response;
            try {
                response = http.send(fuzzCase.request());
            } catch (RuntimeException e) {
                violations.add(fuzzCase.name() + ": " + e.getMessage());
                continue;
            }
            String problem = check(fuzzCase, response);
            if (problem != null) {
                violations.add(fuzzCase.name() + ": " + problem + " [" + response.status() + " "
                        + abbreviate(response.text()) + "]");
            }
            Map<String, Long> after = snapshot();
            if (!after.equals(before)) {
                violations.add(fuzzCase.name() + ": stored something: " + before + " -> " + after);
                before = after;
            }
        }
        return violations;
    }

    /** Runs, and fails with every violation listed (and the seed to replay them). */
    public void assertNothingWrong() {
        List<String> violations = run();
        if (!violations.isEmpty()) {
            throw new AssertionError(violations.size() + " of " + requests + " fuzz requests went wrong (seed " + seed
                    + ", -Dfuzz.seed=" + seed + " replays them):\n  " + String.join("\n  ", violations.subList(0, Math.min(40, violations.size()))));
        }
    }

    /** How many requests the last run sent. */
    public int requests() {
        return requests;
    }

    enum Expect {
        /** Must be refused with a 4xx. */
        REFUSED,
        /** Either answer; never a 5xx, errors as problem documents. */
        EITHER,
        /** Broken HTTP: a 4xx, or 501/505 for what the server does not implement. */
        PROTOCOL
    }

    record Case(String name, byte[] request, Expect expect, boolean page) {
    }

    private List<Case> cases(Random random) {
        List<Case> cases = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            wrongMethods(endpoint, cases);
            badPaths(endpoint, cases);
            oddQueries(endpoint, cases);
            if (endpoint.body == Endpoint.Body.JSON) {
                jsonBodies(endpoint, random, cases);
            }
            if (endpoint.body != Endpoint.Body.NONE) {
                contentTypes(endpoint, cases);
                tooLarge(endpoint, cases);
            }
            if (endpoint.body == Endpoint.Body.FORM) {
                badForms(endpoint, cases);
            }
        }
        if (!endpoints.isEmpty()) {
            brokenHttp(endpoints.get(0), cases);
        }
        return cases;
    }

    private void wrongMethods(Endpoint endpoint, List<Case> cases) {
        Set<String> allowed = new LinkedHashSet<>();
        endpoints.stream().filter(other -> other.template.equals(endpoint.template)).forEach(other -> allowed.add(other.method));
        if (!endpoint.equals(endpoints.stream().filter(other -> other.template.equals(endpoint.template)).findFirst().orElseThrow())) {
            return; // once per path
        }
        for (String method : METHODS) {
            if (!allowed.contains(method)) {
                byte[] body = method.equals("GET") || method.equals("DELETE") ? null : bytes(endpoint.validBody == null ? "{}" : endpoint.validBody);
                cases.add(new Case(method + " " + endpoint.template + " (not served)", RawHttp.request(method, endpoint.target(),
                        Map.of("Content-Type", endpoint.contentType(), "Accept", accept(endpoint)), body), Expect.REFUSED, endpoint.page));
            }
        }
        cases.add(new Case("TRACE " + endpoint.template, RawHttp.request("TRACE", endpoint.target(), Map.of(), null),
                Expect.PROTOCOL, endpoint.page));
        cases.add(new Case("unknown method on " + endpoint.template, RawHttp.request("BREW", endpoint.target(), Map.of(), null),
                Expect.PROTOCOL, endpoint.page));
    }

    private void badPaths(Endpoint endpoint, List<Case> cases) {
        for (String variable : endpoint.pathValues.keySet()) {
            BAD_SEGMENTS.forEach((what, segment) -> cases.add(new Case(endpoint + " with {" + variable + "} = " + what,
                    validRequest(endpoint, Endpoint.target(endpoint.path(Map.of(variable, segment)), endpoint.validQuery())),
                    Expect.REFUSED, endpoint.page)));
        }
        cases.add(new Case(endpoint + " with a NUL byte in the path", validRequest(endpoint, endpoint.path() + "%00"),
                Expect.REFUSED, endpoint.page));
        if (endpoint.body == Endpoint.Body.NONE) {
            // Normalized to the endpoint itself: a read, so either answer is fine.
            cases.add(new Case(endpoint + " with /x/../ in the path", validRequest(endpoint, "/x/.." + endpoint.target()),
                    Expect.EITHER, endpoint.page));
        }
    }

    /**
     * Odd values for the declared query parameters. A write with a valid body and no query
     * parameters of its own would be accepted whatever its query says, so it gets none of these.
     */
    private void oddQueries(Endpoint endpoint, List<Case> cases) {
        if (endpoint.body != Endpoint.Body.NONE && endpoint.query.isEmpty()) {
            return;
        }
        Expect expect = Expect.EITHER;
        for (String name : endpoint.query.keySet()) {
            ODD_QUERY_VALUES.forEach((what, value) -> cases.add(new Case(endpoint + " with " + name + " = " + what,
                    validRequest(endpoint, Endpoint.target(endpoint.path(), endpoint.queryWith(name, value))), Expect.EITHER, endpoint.page)));
            cases.add(new Case(endpoint + " with " + name + " twice", validRequest(endpoint,
                    Endpoint.target(endpoint.path(), endpoint.validQuery() + "&" + name + "=1")), Expect.EITHER, endpoint.page));
        }
        cases.add(new Case(endpoint + " with an invalid query escape", validRequest(endpoint,
                Endpoint.target(endpoint.path(), "%ZZ=%G1&" + endpoint.validQuery())), expect, endpoint.page));
        cases.add(new Case(endpoint + " with 2,000 query parameters", validRequest(endpoint, Endpoint.target(endpoint.path(),
                endpoint.validQuery() + "&x=1".repeat(2_000).substring(endpoint.validQuery().isEmpty() ? 1 : 0))), Expect.EITHER, endpoint.page));
    }

    private void jsonBodies(Endpoint endpoint, Random random, List<Case> cases) {
        for (JsonMutations.Mutation mutation : JsonMutations.of(endpoint.validBody, random)) {
            cases.add(new Case(endpoint + " body: " + mutation.name(), withBody(endpoint, endpoint.contentType(), bytes(mutation.body())),
                    Expect.REFUSED, endpoint.page));
        }
        for (Map.Entry<String, byte[]> invalid : JsonMutations.invalidBytes(endpoint.validBody, random)) {
            cases.add(new Case(endpoint + " body: " + invalid.getKey(), withBody(endpoint, endpoint.contentType(), invalid.getValue()),
                    Expect.REFUSED, endpoint.page));
        }
    }

    private void contentTypes(Endpoint endpoint, List<Case> cases) {
        byte[] valid = bytes(endpoint.validBody);
        List<String> wrong = new ArrayList<>(List.of("text/plain", "application/xml", "multipart/form-data; boundary=x",
                "application/octet-stream", "application/json; charset=klingon",
                "*/*", "json", ""));
        if (endpoint.body == Endpoint.Body.JSON) {
            wrong.add("application/x-www-form-urlencoded");
        } else {
            wrong.removeIf(type -> type.startsWith("application/json"));
        }
        for (String type : wrong) {
            Map<String, String> headers = type.isEmpty() ? Map.of("Accept", accept(endpoint)) : Map.of("Content-Type", type, "Accept", accept(endpoint));
            cases.add(new Case(endpoint + " as Content-Type '" + type + "'", request(endpoint, endpoint.method, endpoint.target(), headers, valid),
                    endpoint.body == Endpoint.Body.FORM ? Expect.EITHER : Expect.REFUSED, endpoint.page));
        }
        cases.add(new Case(endpoint + " accepting only XML", request(endpoint, endpoint.method, endpoint.target(),
                Map.of("Content-Type", endpoint.contentType(), "Accept", "application/xml"), bytes(endpoint.body == Endpoint.Body.JSON
                        ? "{}" : "x=1")), Expect.REFUSED, endpoint.page));
    }

    private void tooLarge(Endpoint endpoint, List<Case> cases) {
        byte[] big = padded(endpoint, maxBodyBytes + 1024);
        cases.add(new Case(endpoint + " with a body over the limit (Content-Length)", withBody(endpoint, endpoint.contentType(), big),
                Expect.REFUSED, endpoint.page));
        cases.add(new Case(endpoint + " with a body over the limit (chunked, no Content-Length)", request(endpoint, endpoint.method,
                endpoint.target(), Map.of("Content-Type", endpoint.contentType(), "Accept", accept(endpoint), "Transfer-Encoding", "chunked"),
                RawHttp.chunked(big)), Expect.REFUSED, endpoint.page));
        cases.add(new Case(endpoint + " declaring a 10 GB body", request(endpoint, endpoint.method, endpoint.target(),
                Map.of("Content-Type", endpoint.contentType(), "Accept", accept(endpoint), "Content-Length", "10737418240"),
                bytes("{")), Expect.REFUSED, endpoint.page));
    }

    private void badForms(Endpoint endpoint, List<Case> cases) {
        for (String form : List.of("%ZZ=1", "token=%00", "token=%", "=&=&&", "token=" + "%41".repeat(1_000))) {
            cases.add(new Case(endpoint + " form '" + abbreviate(form) + "'", withBody(endpoint, endpoint.contentType(), bytes(form)),
                    Expect.REFUSED, endpoint.page));
        }
    }

    private void brokenHttp(Endpoint endpoint, List<Case> cases) {
        String target = endpoint.target();
        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("invalid method token", "G@T " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        broken.put("HTTP version 9.9", "GET " + target + " HTTP/9.9\r\nHost: localhost\r\n\r\n");
        broken.put("garbage version", "GET " + target + " HTTX/1.1\r\nHost: localhost\r\n\r\n");
        broken.put("extra token in the request line", "GET " + target + " HTTP/1.1 extra\r\nHost: localhost\r\n\r\n");
        broken.put("raw NUL in the request line", "GET " + target + "\u0000 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        broken.put("raw space in the path", "GET /api/a b HTTP/1.1\r\nHost: localhost\r\n\r\n");
        broken.put("raw control in the path", "GET /api/\u0001 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        broken.put("absolute URI of another host", "GET http://evil.example" + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        broken.put("no Host header", "GET " + target + " HTTP/1.1\r\n\r\n");
        broken.put("two Host headers", "GET " + target + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
        broken.put("header without a colon", "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nBroken header\r\n\r\n");
        broken.put("space in a header name", "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nBad Name: x\r\n\r\n");

        broken.put("header over 16 KB", "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(16_000) + "\r\n\r\n");
        broken.put("request target over 16 KB (an over-long token)", "GET " + endpoint.path() + "?token=" + "t".repeat(16_000)
                + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        broken.put("200 headers", "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + "X-N: 1\r\n".repeat(200) + "\r\n");
        broken.put("Content-Length and chunked", "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        broken.put("two Content-Lengths", "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}");
        broken.put("Content-Length not a number", "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n{}");
        broken.put("negative Content-Length", "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n{}");
        broken.put("invalid chunk size", "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        broken.put("unknown transfer coding", "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: rot13\r\n\r\n{}");
        broken.put("CONNECT", "CONNECT localhost:22 HTTP/1.1\r\nHost: localhost:22\r\n\r\n");
        broken.put("asterisk target for GET", "GET * HTTP/1.1\r\nHost: localhost\r\n\r\n");
        broken.forEach((what, request) -> cases.add(new Case("broken HTTP: " + what,
                request.getBytes(StandardCharsets.ISO_8859_1), Expect.PROTOCOL, endpoint.page)));
        // RFC 9112 lets a server either refuse a folded header or unfold it (Tomcat unfolds).
        cases.add(new Case("broken HTTP: folded header", ("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nX-A: a\r\n b\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), Expect.EITHER, endpoint.page));
    }

    /** Checks one answer; null when it is fine. */
    private static String check(Case fuzzCase, RawHttp.Response response) {
        int status = response.status();
        if (status < 0) {
            return "no HTTP answer";
        }
        String text = response.text();
        for (String leak : LEAKS) {
            if (text.contains(leak) || response.rawHead().contains(leak)) {
                return "the answer shows '" + leak + "'";
            }
        }
        boolean notImplemented = fuzzCase.expect() == Expect.PROTOCOL && (status == 501 || status == 505);
        if (status >= 500 && !notImplemented) {
            return "server error";
        }
        if (status < 400 && fuzzCase.expect() != Expect.EITHER) {
            return "accepted (" + status + ") what must be refused";
        }
        if (status < 400) {
            return null;
        }
        String type = response.header("content-type") == null ? "" : response.header("content-type").toLowerCase(Locale.ROOT);
        if (fuzzCase.page() && type.startsWith("text/html")) {
            return null; // a page for browsers; checked for leaks above
        }
        if (!type.startsWith("application/problem+json")) {
            return "not a problem document (Content-Type '" + type + "')";
        }
        try {
            JsonNode problem = JSON.readTree(response.body());
            if (!problem.path("type").isString() || !problem.path("title").isString() || problem.path("status").asInt() != status) {
                return "a problem document without type, title or the right status";
            }
        } catch (RuntimeException e) {
            return "a problem document that is not JSON";
        }
        return null;
    }

    private Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        stored.forEach((what, counter) -> values.put(what, counter.getAsLong()));
        return values;
    }

    /** RawHttp.request with the endpoint's own headers (its credentials) added to each case's. */
    private static byte[] request(Endpoint endpoint, String method, String target, Map<String, String> headers, byte[] body) {
        Map<String, String> all = new LinkedHashMap<>(endpoint.headers);
        all.putAll(headers);
        return RawHttp.request(method, target, all, body);
    }

    private static byte[] validRequest(Endpoint endpoint, String target) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", accept(endpoint));
        byte[] body = null;
        if (endpoint.body != Endpoint.Body.NONE) {
            headers.put("Content-Type", endpoint.contentType());
            body = bytes(endpoint.validBody);
        }
        return request(endpoint, endpoint.method, target, headers, body);
    }

    private static byte[] withBody(Endpoint endpoint, String contentType, byte[] body) {
        return request(endpoint, endpoint.method, endpoint.target(), Map.of("Content-Type", contentType, "Accept", accept(endpoint)), body);
    }

    /** A body of about the given size that would be valid but for its size. */
    private static byte[] padded(Endpoint endpoint, long size) {
        String filler = "y".repeat((int) size);
        if (endpoint.body == Endpoint.Body.FORM) {
            return bytes(endpoint.validBody + "&pad=" + filler);
        }
        return bytes("{\"pad\":\"" + filler + "\"," + endpoint.validBody.strip().substring(1));
    }

    private static String accept(Endpoint endpoint) {
        return endpoint.page ? "text/html,application/problem+json;q=0.9,*/*;q=0.8" : "application/json, application/problem+json";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() > 160 ? oneLine.substring(0, 160) + "..." : oneLine;
    }
}
