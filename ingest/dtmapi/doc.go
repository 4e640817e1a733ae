// Package dtmapi reads and fetches the IOM DTM API's displacement figures
// (dataset displacement_admin): one IDP figure per admin area (level 0, 1 or
// 2) and reporting date.
//
// # Reading responses
//
// OpenFile and NewReader present one API response as an ingest.Reader
// table. They accept:
//   - the v3 envelope {"result": [...], "statusCode": 200, "isSuccess": true,
//     "errorMessages": [], "totalRecordsCount": N} (envelope keys matched
//     case-insensitively, in any order);
//   - the same envelope around v2 records (no displacementReason, sex or
//     origin keys);
//   - a bare JSON array of records;
//   - with or without a UTF-8 byte order mark.
//
// Contracts:
//   - Streaming: the body is decoded token by token with encoding/json; at
//     most one record is held in memory. Limits.MaxFileBytes bounds the body
//     (OpenFile checks the file size first), Limits.MaxRowBytes one record,
//     Limits.MaxCellBytes one value, Limits.MaxColumns the keys of a record
//     and the header; values nested deeper than 32 levels also fail. Such
//     errors wrap ingest.ErrLimit.
//   - Header.Format is "json", Header.Encoding "utf-8" or "utf-8-bom",
//     HeaderLine 0 (JSON has no header row), HXL nil.
//   - Header.Columns is KnownColumns() (the v2 and v3 keys in a fixed order,
//     with adminLevel and operationStatus) followed by the other keys found:
//     for a seekable body of at most PrescanMaxBytes (files, bytes.Reader),
//     every key of every record, from a cheap pre-scan; otherwise the keys of
//     the first record. A key first seen after the columns were fixed is
//     reported in Header.Notes and its values are dropped. The same bytes
//     give the same columns whether read from a file or from memory.
//   - adminLevel is a synthetic column: the record's own adminLevel when it
//     has one, else inferred from the areas named (admin2Pcode or admin2Name
//     non-blank -> 2, admin1Pcode or admin1Name -> 1, else 0).
//   - Row.Line is the 1-based index of the record in the result array, so
//     lines are strictly increasing. Row.Cells has one cell per column:
//     strings exactly as published (including "Not available" and trailing
//     spaces), numbers in plain notation (integers, also 1.0 or 1e3, without
//     fraction or exponent), booleans true/false, null and absent keys "",
//     nested values as compact JSON.
//   - Errors name the file and the record. A body that is not a response
//     wraps ErrMalformed; an envelope with isSuccess:false is an *APIError
//     (wrapping ErrNotSuccess) carrying errorMessages. Envelope errors and
//     errors in the first record are returned by NewReader/OpenFile; errors
//     after it by Next, after all rows before them were returned. Because
//     the API writes isSuccess after the result array, a failing envelope
//     with records is only detected at the end.
//   - totalRecordsCount differing from the records read is a note, not an
//     error.
//
// # Fetching
//
// Client calls the v3 endpoints (/v3/displacement/admin{0,1,2} and
// /v3/displacement/country-list) with the key in the Ocp-Apim-Subscription-Key
// header. The key is a parameter: the CLI reads it from DTM_API_KEY (KeyEnv);
// this package never reads the environment and never logs the key, and
// redirects to another host do not carry it. Requests are retried with
// exponential backoff and jitter on 429 (honouring Retry-After), 5xx (not
// 501/505) and network errors; 401/403 fail at once with ErrUnauthorized and
// a hint to check DTM_API_KEY; other statuses fail at once with *HTTPError.
// Bodies are bounded by ClientOptions.MaxBodyBytes and validated (structure
// and isSuccess) before Fetch returns them.
//
// SaveResponse writes a fetched body atomically under a deterministic name
// (FileName) so that a run can be repeated offline with OpenFile, giving the
// same rows as the live body.
package dtmapi
