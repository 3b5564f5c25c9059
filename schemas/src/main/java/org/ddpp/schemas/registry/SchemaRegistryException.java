package org.ddpp.schemas.registry;

/**
 * A registry request that failed: carries the HTTP status and the registry's own error code
 * (e.g. 40401 subject not found, 40403 schema not found, 409 incompatible), so callers can react to the code
 * rather than parse messages. Network failures after the last retry use status 0 and error code 50002.
 */
public class SchemaRegistryException extends RuntimeException {

    /** Subject not found. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Version not found. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Schema not found. */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** The subject has no compatibility level of its own. */
    public static final int SUBJECT_LEVEL_NOT_CONFIGURED = 40408;
    /** The schema is incompatible with earlier versions under the subject's level (HTTP 409). */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** The schema text is not a valid schema. */
    public static final int INVALID_SCHEMA = 42201;
    /** The version is not a positive integer or "latest". */
    public static final int INVALID_VERSION = 42202;
    /** The compatibility level is not one of the known levels. */
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    /** The registry's storage failed. */
    public static final int STORE_ERROR = 50001;
    /** The registry could not be reached (client side). */
    public static final int UNREACHABLE = 50002;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** HTTP status of the answer, 0 when none came. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's error code from the {@code error_code} field. */
    public int errorCode() {
        return errorCode;
    }
}
