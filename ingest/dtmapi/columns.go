package dtmapi

import (
	"strconv"
	"strings"
)

// Keys of the API record, v2 and v3 (JSON names, also the HDX CSV headers).
const (
	KeyID                   = "id"
	KeyOperation            = "operation"
	KeyAdmin0Name           = "admin0Name"
	KeyAdmin0Pcode          = "admin0Pcode"
	KeyAdmin1Name           = "admin1Name"
	KeyAdmin1Pcode          = "admin1Pcode"
	KeyAdmin2Name           = "admin2Name"
	KeyAdmin2Pcode          = "admin2Pcode"
	KeyAdminLevel           = "adminLevel" // synthetic unless the record has it
	KeyNumPresentIdpInd     = "numPresentIdpInd"
	KeyReportingDate        = "reportingDate"
	KeyYearReportingDate    = "yearReportingDate"
	KeyMonthReportingDate   = "monthReportingDate"
	KeyRoundNumber          = "roundNumber"
	KeyDisplacementReason   = "displacementReason"   // v3
	KeyNumberMales          = "numberMales"          // v3
	KeyNumberFemales        = "numberFemales"        // v3
	KeyIdpOriginAdmin1Name  = "idpOriginAdmin1Name"  // v3
	KeyIdpOriginAdmin1Pcode = "idpOriginAdmin1Pcode" // v3
	KeyAssessmentType       = "assessmentType"
	KeyOperationStatus      = "operationStatus" // HDX export, some API versions
)

// KnownColumns returns the fixed leading columns of every table this package
// reads, in this order (the order of HDX's export of the API):
//
//	id operation admin0Name admin0Pcode admin1Name admin1Pcode admin2Name
//	admin2Pcode adminLevel numPresentIdpInd reportingDate yearReportingDate
//	monthReportingDate roundNumber displacementReason numberMales
//	numberFemales idpOriginAdmin1Name idpOriginAdmin1Pcode assessmentType
//	operationStatus
//
// It is the union of the v2 and v3 record keys plus adminLevel and
// operationStatus. A key a record lacks gives an empty cell.
func KnownColumns() []string {
	return []string{
		KeyID, KeyOperation, KeyAdmin0Name, KeyAdmin0Pcode, KeyAdmin1Name, KeyAdmin1Pcode,
		KeyAdmin2Name, KeyAdmin2Pcode, KeyAdminLevel, KeyNumPresentIdpInd, KeyReportingDate,
		KeyYearReportingDate, KeyMonthReportingDate, KeyRoundNumber, KeyDisplacementReason,
		KeyNumberMales, KeyNumberFemales, KeyIdpOriginAdmin1Name, KeyIdpOriginAdmin1Pcode,
		KeyAssessmentType, KeyOperationStatus,
	}
}

// isV3Key reports whether a key is one only v3 records carry.
func isV3Key(k string) bool {
	switch k {
	case KeyDisplacementReason, KeyNumberMales, KeyNumberFemales, KeyIdpOriginAdmin1Name, KeyIdpOriginAdmin1Pcode:
		return true
	}
	return false
}

// InferAdminLevel returns the admin level of a record from the areas it
// names: 2 if admin2Pcode (or, failing that, admin2Name) is non-blank, 1 if
// admin1Pcode (or admin1Name) is, else 0. get returns a key's cell ("" when
// absent).
func InferAdminLevel(get func(key string) string) int {
	has := func(k string) bool { return strings.TrimSpace(get(k)) != "" }
	switch {
	case has(KeyAdmin2Pcode) || has(KeyAdmin2Name):
		return 2
	case has(KeyAdmin1Pcode) || has(KeyAdmin1Name):
		return 1
	default:
		return 0
	}
}

func levelString(l int) string { return strconv.Itoa(l) }
