package org.replyensemble.support.erasure;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/operator/exports}: what this service holds about one address (operators only, by
 * each service's rule for {@code /api/operator/**}). A top-level class, not nested in its
 * auto-configuration: Spring registers a configuration's nested components on its own, and the
 * endpoint would be mapped twice.
 */
@RestController
class PersonalDataExportController {

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
