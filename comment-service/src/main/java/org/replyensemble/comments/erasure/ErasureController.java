package org.replyensemble.comments.erasure;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's export of what this service holds about one address (role OPERATOR, see
 * CommentAccess). Erasure itself is asked of post-service, which publishes it to every service.
 * The address travels in a POST body, never in a URL (access logs).
 */
@RestController
class ErasureController {

    record AddressRequest(@NotBlank @Email @Size(max = 254) String email) {
    }

    private final Erasures erasures;

    ErasureController(Erasures erasures) {
        this.erasures = erasures;
    }

    @PostMapping("/api/operator/exports")
    Erasures.Export export(@Valid @RequestBody AddressRequest request) {
        return erasures.export(request.email());
    }
}
