package org.replyensemble.local.services;

/** One of the three services as the launcher runs it: its module name, HTTP port and database. */
public record ServiceSpec(String name, int port, String database) {

    public String baseUrl() {
        return "http://localhost:" + port;
    }
}
