package org.replyensemble.support.erasure;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The export endpoint, the same in every service that has a {@link PersonalDataExport}. Who may
 * call it is each service's access rule for {@code /api/operator/**} (operators only). The address
 * travels in a POST body, never in a URL, so it stays out of access logs and browser histories.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(PersonalDataExport.class)
public class PersonalDataExportAutoConfiguration {

    @Bean
    PersonalDataExportController personalDataExportController(PersonalDataExport export) {
        return new PersonalDataExportController(export);
    }

    @RestController
    static class PersonalDataExportController {

        record AddressRequest(@NotBlank @Email @Size(max = 254) String email) {
        }

        private final PersonalDataExport export;

        PersonalDataExportController(PersonalDataExport export) {
            this.export = export;
        }

        @PostMapping("/api/operator/exports")
        Object export(@Valid @RequestBody AddressRequest request) {
            return export.export(request.email());
        }
    }
}
