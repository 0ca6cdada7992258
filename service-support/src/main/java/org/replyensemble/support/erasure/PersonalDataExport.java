package org.replyensemble.support.erasure;

/**
 * What one service stores about one address, for the operator's export
 * ({@code POST /api/operator/exports}, {@link PersonalDataExportAutoConfiguration}): each service
 * implements it over its own tables, and the operator asks each service in turn (README, "Export").
 */
public interface PersonalDataExport {

    /** Everything this service holds about the address, as data Jackson writes as JSON. */
    Object export(String email);
}
