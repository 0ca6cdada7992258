package org.replyensemble.local.services;

/**
 * One of the three services as the launcher runs it: its module name, public HTTP port, management
 * port (actuator, Swagger UI) and database.
 */
public record ServiceSpec(String name, int port, int managementPort, String database) {

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    /** The management server: /actuator/health, /actuator/prometheus, /actuator/swagger-ui. */
    public String managementUrl() {
        return "http://localhost:" + managementPort;
    }

    /** The launcher's variable that moves a port of this service, e.g. POST_SERVICE_PORT. */
    public String portVariable(boolean management) {
        return name.toUpperCase().replace('-', '_') + (management ? "_MANAGEMENT_PORT" : "_PORT");
    }
}
