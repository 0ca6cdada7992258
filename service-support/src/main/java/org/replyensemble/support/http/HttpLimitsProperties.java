package org.replyensemble.support.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code http.max-body-size}: the largest request body a service reads, set per service to fit its
 * largest valid request (post-service: a 100,000-character body, JSON-escaped).
 */
@ConfigurationProperties("http")
public record HttpLimitsProperties(DataSize maxBodySize) {

    public HttpLimitsProperties {
        if (maxBodySize == null) {
            maxBodySize = DataSize.ofKilobytes(64);
        }
        if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("http.max-body-size must be between 1 byte and 2 GB, not " + maxBodySize);
        }
    }
}
