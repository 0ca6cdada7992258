package org.replyensemble.local.services;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a service process gets on top of the launcher's own (which it inherits).
 * <p>
 * Two kinds of settings:
 * <ul>
 *   <li>per service, always set by the launcher since the three processes cannot share them:
 *       SERVER_PORT and MANAGEMENT_SERVER_PORT (choose with POST_SERVICE_PORT, POST_SERVICE_MANAGEMENT_PORT
 *       etc.) and SPRING_DATASOURCE_URL (its own database);</li>
 *   <li>shared, set only when the user's environment does not already hold them: the database user
 *       and password, SPRING_KAFKA_BOOTSTRAP_SERVERS, SPRING_MAIL_HOST/PORT, the public and
 *       unsubscribe base URLs.</li>
 * </ul>
 */
public final class ServiceEnvironment {

    private ServiceEnvironment() {
    }

    /**
     * @param inherited the launcher's environment
     * @param shared    the launcher's defaults for the shared settings
     * @return the variables to add to (or, per service, replace in) the inherited environment
     */
    public static Map<String, String> forService(ServiceSpec service, String jdbcUrl,
                                                 Map<String, String> shared, Map<String, String> inherited) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", String.valueOf(service.port()));
        env.put("MANAGEMENT_SERVER_PORT", String.valueOf(service.managementPort()));
        env.put("SPRING_DATASOURCE_URL", jdbcUrl);
        shared.forEach((name, value) -> {
            String set = inherited.get(name);
            if ((set == null || set.isBlank()) && value != null) {
                env.put(name, value);
            }
        });
        return env;
    }
}
