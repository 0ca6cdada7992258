package org.replyensemble.notifications.confirmations;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.replyensemble.notifications.addresses.AddressBook;
import org.replyensemble.notifications.addresses.Addresses;
import org.replyensemble.support.text.NoControlCharacters;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An operator confirms an address on its owner's behalf: support staff asked by the owner, or the
 * local run's seed replay when the mail goes to a server it cannot read. The address travels in
 * the body, never in a URL (URLs end up in access logs), and the answer shows it masked. Under
 * /api/**, which only operators may call.
 */
@RestController
@RequestMapping("/api/addresses/confirmations")
class AddressConfirmationController {

    private final Confirmations confirmations;
    private final AddressBook addresses;

    AddressConfirmationController(Confirmations confirmations, AddressBook addresses) {
        this.confirmations = confirmations;
        this.addresses = addresses;
    }

    /**
     * @param name the name its emails should greet, if the address has none recorded yet worth keeping
     *             (otherwise the name it was first seen with stays)
     */
    record ConfirmationRequest(
            // As comment-service accepts them: a reply email needs a real domain.
            @NotBlank @Size(max = 254) @Email(regexp = "[^@]+@[^@]+\\.[^@]+", message = "must be a valid email address")
            @NoControlCharacters String email,
            @Size(max = 100) @NoControlCharacters String name) {
    }

    /**
     * @param released   held emails now on their way
     * @param suppressed why it still gets nothing (hard bounces, its owner said "not me"), or null
     */
    record ConfirmationAnswer(String address, boolean confirmed, boolean newlyConfirmed, int released, String suppressed) {
    }

    @PostMapping
    ConfirmationAnswer confirm(@Valid @RequestBody ConfirmationRequest request) {
        Confirmations.Confirmed confirmed = confirmations.confirm(request.email(), request.name(), ConfirmedBy.OPERATOR);
        String suppressed = addresses.find(request.email()).map(AddressBook.AddressState::suppression).orElse(null);
        if (suppressed == null && addresses.find(request.email()).isEmpty()) {
            // Not stored after a confirmation: only an erased address (on the suppression list) is refused so.
            return new ConfirmationAnswer(Addresses.mask(confirmed.email()), false, false, 0, "ERASED");
        }
        return new ConfirmationAnswer(Addresses.mask(confirmed.email()), true, confirmed.newlyConfirmed(), confirmed.released(),
                suppressed);
    }
}
