package org.replyensemble.support.erasure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * The export endpoint ({@link PersonalDataExportController}), the same in every service that has a
 * {@link PersonalDataExport}. The address travels in a POST body, never in a URL, so it stays out
 * of access logs and browser histories.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(PersonalDataExport.class)
public class PersonalDataExportAutoConfiguration {

    @Bean
    PersonalDataExportController personalDataExportController(PersonalDataExport export) {
        return new PersonalDataExportController(export);
    }
}
