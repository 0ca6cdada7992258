package org.replyensemble.posts.posts;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's erasure call (role OPERATOR, see {@link PostAccess}); the export is service-support's
 * {@code PersonalDataExport} endpoint. The address travels in a POST body, never in a URL, so it
 * stays out of access logs and browser histories.
 */
@RestController
class ErasureController {

    record AddressRequest(@NotBlank @Email @Size(max = 254) String email) {
    }

    private final Erasures erasures;

    ErasureController(Erasures erasures) {
        this.erasures = erasures;
    }

    /** 202: this service's part is done; the other services apply the erasure event when they read it. */
    @PostMapping("/api/operator/erasures")
    ResponseEntity<Map<String, Object>> erase(@Valid @RequestBody AddressRequest request) {
        int posts = erasures.erase(request.email());
        return ResponseEntity.accepted().body(Map.of("postsWithoutAuthorAddress", posts));
    }
}
