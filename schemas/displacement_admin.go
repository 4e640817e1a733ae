package schemas

// DisplacementAdmin is the DTM API displacement dataset: one IDP figure for
// one admin area (level 0, 1 or 2) at one reporting date, as served by
// /v3/displacement/admin{0,1,2} (and the older v2 endpoints), by CSVs written
// from it, and by HDX's "Global IOM DTM from API" export.
//
// Field names are the snake_case of the API's meaning and are fixed. Aliases
// list the API's JSON keys (which are also the header names of the HDX CSV
// export and of CSVs written from the API), HDX HAPI `idps` column names and
// a few human labels; HXL tags are those of HDX's export.
//
// One area and date can appear once per reason × origin × assessment type,
// and the same area/date/round under both SA and BA: these are distinct
// records, not duplicates.
func DisplacementAdmin() *Dataset {
	return &Dataset{
		Name:           "displacement_admin",
		Version:        "1.0.0",
		Description:    "DTM API displacement figures: internally displaced persons (IDPs) present in one admin area (country, admin 1 or admin 2) at one reporting date, per operation, round, assessment type, displacement reason and area of origin.",
		PartitionKey:   "admin_level_part",
		PartitionField: "admin_level",
		PartitionDoc:   "admin level of the record: 0 (country), 1 or 2",
		Fields: []Field{
			{Name: "country_iso3", Kind: String, Required: true, Sensitivity: Public, HXL: "#country+code",
				Description: "ISO 3166-1 alpha-3 code of the country, from the API's admin0Pcode (which is the ISO3 code).",
				Aliases:     []string{"admin0Pcode", "Admin0 Pcode", "Admin 0 Pcode", "Country Code", "Country ISO3", "ISO3", "location_code"}},
			{Name: "admin_level", Kind: Int, Required: true, Sensitivity: Public, HXL: "#adm+level",
				Description: "Admin level of the area the figure is for: 0 country, 1 first-level area, 2 second-level area. Read from adminLevel (HDX export, or the synthetic column the dtmapi reader adds from the p-codes present).",
				Aliases:     []string{"adminLevel", "Admin Level", "admin_level"}},
			{Name: "operation", Kind: String, Sensitivity: Public, HXL: "#operation+name",
				Description: "DTM operation the figure belongs to, as published (e.g. a crisis or a countrywide monitoring programme).",
				Aliases:     []string{"operation", "Operation", "Operation Name"}},
			{Name: "admin0_name", Kind: String, Sensitivity: Public, HXL: "#country+name",
				Description: "Country name as published by the API.",
				Aliases:     []string{"admin0Name", "Admin0 Name", "Admin 0 Name", "Country", "Country Name"}},
			{Name: "admin0_pcode", Kind: String, PlaceCode: true, Sensitivity: Public,
				Description: "Country p-code exactly as published (admin0Pcode, normally the ISO3 code). It is read from the same source column as country_iso3, which is the normalised form; no HXL tag of its own so that exports do not repeat #country+code."},
			{Name: "admin1_name", Kind: String, Sensitivity: Public, HXL: "#adm1+name",
				Description: "Admin level 1 name as published (empty for admin level 0 figures).",
				Aliases:     []string{"admin1Name", "Admin1 Name", "Admin 1 Name", "admin1_name"}},
			{Name: "admin1_pcode", Kind: String, PlaceCode: true, Sensitivity: Public, HXL: "#adm1+code",
				Description: "Admin level 1 p-code (COD) as published (empty for admin level 0 figures).",
				Aliases:     []string{"admin1Pcode", "Admin1 Pcode", "Admin 1 Pcode", "admin1_code"}},
			{Name: "admin2_name", Kind: String, Sensitivity: Public, HXL: "#adm2+name",
				Description: "Admin level 2 name as published (empty below admin level 2).",
				Aliases:     []string{"admin2Name", "Admin2 Name", "Admin 2 Name", "admin2_name"}},
			{Name: "admin2_pcode", Kind: String, PlaceCode: true, Sensitivity: Public, HXL: "#adm2+code",
				Description: "Admin level 2 p-code (COD) as published (empty below admin level 2).",
				Aliases:     []string{"admin2Pcode", "Admin2 Pcode", "Admin 2 Pcode", "admin2_code"}},
			{Name: "idp_individuals", Kind: Int, Required: true, Unit: "persons", Sensitivity: Public, HXL: "#affected+idps",
				HXLAliases:  []string{"#affected+idps+ind", "#affected+idp+ind"},
				Description: "Internally displaced persons present in the area at the reporting date (numPresentIdpInd), a non-negative count of individuals.",
				Aliases:     []string{"numPresentIdpInd", "Number of IDPs", "IDPs", "IDP Individuals", "Present IDP Individuals", "population"}},
			{Name: "idp_males", Kind: Int, Unit: "persons", Sensitivity: Public, HXL: "#affected+idps+m",
				Description: "IDP males of all ages (numberMales; API v3 only).",
				Aliases:     []string{"numberMales", "Number of Males", "Males"}},
			{Name: "idp_females", Kind: Int, Unit: "persons", Sensitivity: Public, HXL: "#affected+idps+f",
				Description: "IDP females of all ages (numberFemales; API v3 only).",
				Aliases:     []string{"numberFemales", "Number of Females", "Females"}},
			{Name: "reporting_date", Kind: Date, Required: true, Sensitivity: Public, HXL: "#date+reported",
				Description: "Reporting date of the figure; the API writes it as 2017-09-30T00:00:00 (no zone), only the date is kept.",
				Aliases:     []string{"reportingDate", "Reporting Date", "reference_period_start"}},
			{Name: "year_reporting_date", Kind: Int, Unit: "year", Sensitivity: Public, HXL: "#date+year+reported",
				Description: "Calendar year of the reporting date, as published (yearReportingDate).",
				Aliases:     []string{"yearReportingDate", "Year Reporting Date", "Reporting Year", "Year", "Année", "Año", "Ano"}},
			{Name: "month_reporting_date", Kind: Int, Unit: "month (1-12)", Sensitivity: Public, HXL: "#date+month+reported",
				Description: "Calendar month (1-12) of the reporting date, as published (monthReportingDate).",
				Aliases:     []string{"monthReportingDate", "Month Reporting Date", "Reporting Month"}},
			{Name: "round", Kind: Int, Sensitivity: Public, HXL: "#round+code",
				Description: "Round number of the operation's data collection (roundNumber); 0 is a valid round in some operations.",
				Aliases:     []string{"roundNumber", "Round Number", "Round", "reporting_round"}},
			{Name: "assessment_type", Kind: String, Normaliser: AssessmentTypeLabels, Sensitivity: Public, HXL: "#assessment+type",
				Vocabulary:  []string{"BA", "SA", "ETT"},
				Description: "BA baseline (admin-area key informants), SA site / multi-sectoral location assessment, ETT emergency event tracking. The same area, date and round can be published under both BA and SA.",
				Aliases:     []string{"assessmentType", "Assessment Type", "assessment_type"}},
			{Name: "displacement_reasons", Kind: StringList, Sensitivity: Public, HXL: "#cause+type",
				Description: "Reasons for displacement as published (displacementReason; API v3 only): the '; '-joined cell split and trimmed, case kept as published (it drifts, e.g. 'Conflict' / 'conflict').",
				Aliases:     []string{"displacementReason", "Displacement Reason", "Reason for Displacement"}},
			{Name: "origin_admin1_name", Kind: String, Sensitivity: Public, HXL: "#adm1+name+origin",
				Description: "Admin level 1 area of origin of the IDPs (idpOriginAdmin1Name; API v3 only); the API's literal 'Not available' is a missing value.",
				Aliases:     []string{"idpOriginAdmin1Name", "IDP Origin Admin1 Name", "Origin Admin 1 Name"}},
			{Name: "origin_admin1_pcode", Kind: String, PlaceCode: true, Sensitivity: Public, HXL: "#adm1+code+origin",
				Description: "Admin level 1 p-code of the IDPs' area of origin (idpOriginAdmin1Pcode; API v3 only); the API's literal 'Not available' is a missing value.",
				Aliases:     []string{"idpOriginAdmin1Pcode", "IDP Origin Admin1 Pcode", "Origin Admin 1 Pcode"}},
			{Name: "api_id", Kind: String, Sensitivity: Public, HXL: "#id+code",
				Description: "The API's record id (id); admin level 0 records have none. Not stable across API versions: use it to trace a record, not as a key.",
				Aliases:     []string{"id", "API ID", "Record ID"}},
		},
	}
}
