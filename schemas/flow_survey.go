package schemas

// FlowAgeBands are the age bands of survey respondents (from the exact age).
var FlowAgeBands = []string{"0-17", "18-24", "25-34", "35-44", "45-59", "60+"}

// flowPersonalFields are direct identifiers seen in KoboToolbox survey
// exports. They are declared so that a column named like one of them is
// recognised and dropped (Personal fields are never stored, never shown in
// rejects); respondent_id is read only to derive the keyed pseudonym
// respondent_key.
func flowPersonalFields() []Field {
	return []Field{
		{Name: "respondent_id", Kind: String, Sensitivity: Personal,
			Description: "Respondent or interview id of the source: never stored; replaced by respondent_key (keyed HMAC) when DTM_PSEUDONYM_KEY is set, dropped otherwise.",
			Aliases:     []string{"Respondent ID", "respondent_code", "Interview ID", "interview_id", "ID du répondant", "id_repondant", "Code du répondant", "ID enquête", "id_enquete", "ID encuesta", "id_encuestado", "Código del encuestado", "survey_id", "questionnaire_id"}},
		{Name: "respondent_name", Kind: String, Sensitivity: Personal,
			Description: "Name of the respondent or enumerator: never read, never stored.",
			Aliases:     []string{"Name", "Nom", "Full name", "Nom et prénom", "Nombre y apellido", "Nombre completo", "Enumerator", "Enquêteur", "Encuestador"}},
		{Name: "phone_number", Kind: String, Sensitivity: Personal,
			Description: "Phone number: never read, never stored.",
			Aliases:     []string{"Phone", "Phone number", "Téléphone", "Numéro de téléphone", "Teléfono", "Celular", "Contact"}},
		{Name: "device_id", Kind: String, Sensitivity: Personal,
			Description: "Device id, IMEI or SIM serial: never read, never stored.",
			Aliases:     []string{"deviceid", "Device ID", "IMEI", "simserial"}},
		{Name: "remarks", Kind: String, Sensitivity: Personal,
			Description: "Free-text remarks (may name or describe a person): never read, never stored.",
			Aliases:     []string{"Remarks", "Comments", "Observations", "Remarques", "Commentaires", "Observaciones", "Comentarios", "Notes"}},
		{Name: "latitude", Kind: Float, Sensitivity: Personal,
			Description: "Latitude of the interview (an exact location of a person): never stored.",
			Aliases:     []string{"lat", "Latitude", "gps_latitude", "_gps_latitude", "_geopoint_latitude"}},
		{Name: "longitude", Kind: Float, Sensitivity: Personal,
			Description: "Longitude of the interview (an exact location of a person): never stored.",
			Aliases:     []string{"lon", "long", "Longitude", "gps_longitude", "_gps_longitude", "_geopoint_longitude"}},
	}
}

// FlowSurvey is the flow monitoring survey dataset (FMS): one interviewed
// traveller at a flow monitoring point. Direct identifiers never reach
// Parquet; quasi-identifiers (date, point, exact age, sex, nationality,
// country of birth, origin and destination areas, unaccompanied minor,
// group size) are Sensitive: publish them only aggregated and suppressed.
func FlowSurvey() *Dataset {
	fields := flowFMPFields(Sensitive)
	fields = append(fields, flowPeriodFields(Sensitive, false, "the interview date; a survey row without a usable date is kept with a warning and an empty period")...)
	fields = append(fields, flowCommonFields(Sensitive)...)
	fields = append(fields, flowPersonalFields()...)
	fields = append(fields,
		Field{Name: "respondent_key", Kind: String, Sensitivity: Sensitive,
			Description: "Pseudonymous respondent key: hex HMAC-SHA256 (first 16 bytes) of the source's respondent id under the key in DTM_PSEUDONYM_KEY; stable across runs with one key, unlinkable without it. Empty when the source has no id or no key was given."},
		Field{Name: "age", Kind: Int, Unit: "years", Sensitivity: Sensitive, HXL: "#age",
			Description: "Exact age in years (0-120) where the source gives one; empty when it gives a band.",
			Aliases:     []string{"Age", "Âge", "Edad", "Age of respondent", "Âge du répondant", "Edad del encuestado", "age_respondent"}},
		Field{Name: "age_label", Kind: String, Sensitivity: Sensitive,
			Description: "Age or age band exactly as published."},
		Field{Name: "age_band", Kind: String, Sensitivity: Sensitive, Vocabulary: FlowAgeBands,
			Description: "Age band (0-17, 18-24, 25-34, 35-44, 45-59, 60+) from the exact age, or the published band when it fits in one."},
		Field{Name: "age_group", Kind: String, Sensitivity: Sensitive, Vocabulary: FlowAgeGroups,
			Description: "0-17 or 18+, comparable with the registry's age_group."},
		flowCountryField("birth_country", Sensitive, "#country+code+birth", "Country of birth.", "birth", "Country of birth", "Pays de naissance", "País de nacimiento"),
		flowCountryField("destination_country", Sensitive, "#country+code+destination", "Destination country.", "destination", "Destination country", "Pays de destination", "País de destino"),
		Field{Name: "origin_admin1", Kind: String, Sensitivity: Sensitive, HXL: "#adm1+name+origin",
			Description: "Admin 1 area of origin as published.", Aliases: []string{"origin_adm1", "Origin admin 1", "Région d'origine", "Province d'origine", "Departamento de origen"}},
		Field{Name: "origin_admin2", Kind: String, Sensitivity: Sensitive, HXL: "#adm2+name+origin",
			Description: "Admin 2 area of origin as published.", Aliases: []string{"origin_adm2", "Origin admin 2", "Département d'origine", "Municipio de origen"}},
		Field{Name: "destination_admin1", Kind: String, Sensitivity: Sensitive, HXL: "#adm1+name+destination",
			Description: "Admin 1 area of destination as published.", Aliases: []string{"destination_adm1", "Destination admin 1", "Région de destination", "Departamento de destino"}},
		Field{Name: "destination_admin2", Kind: String, Sensitivity: Sensitive, HXL: "#adm2+name+destination",
			Description: "Admin 2 area of destination as published.", Aliases: []string{"destination_adm2", "Destination admin 2", "Département de destination", "Municipio de destino"}},
		Field{Name: "group_size", Kind: Int, Unit: "persons", Sensitivity: Sensitive, HXL: "#population+group",
			Description: "People travelling with the respondent, the respondent included (n); empty means unknown.",
			Aliases:     []string{"n", "Group size", "Taille du groupe", "Nombre de personnes dans le groupe", "Tamaño del grupo", "travel_group_size"}},
		Field{Name: "uam", Kind: Bool, Sensitivity: Sensitive, HXL: "#indicator+uam",
			Description: "Unaccompanied minor (1/0, yes/no, oui/non, sí/no); empty means unknown.",
			Aliases:     []string{"UAM", "Unaccompanied minor", "Mineur non accompagné", "MNA", "Menor no acompañado"}},
		Field{Name: "education", Kind: String, Sensitivity: Sensitive,
			Description: "Highest education level as published.", Aliases: []string{"Education", "Education level", "Niveau d'éducation", "Niveau d'instruction", "Nivel educativo", "Educación"}},
		Field{Name: "employment", Kind: String, Sensitivity: Sensitive,
			Description: "Employment status before leaving, as published.", Aliases: []string{"Employment", "Employment before leaving", "Emploi", "Situation professionnelle", "Emploi avant le départ", "Empleo", "Situación laboral"}},
		Field{Name: "stay_origin", Kind: String, Sensitivity: Sensitive,
			Description: "Time spent at the origin, as published.", Aliases: []string{"Stay at origin", "Durée de séjour à l'origine", "Tiempo en origen"}},
		Field{Name: "intended_stay", Kind: String, Sensitivity: Sensitive,
			Description: "Intended length of stay at destination, as published.", Aliases: []string{"stay_destination", "Intended stay", "Intended length of stay", "Durée de séjour prévue", "Durée prévue", "Tiempo de estancia previsto"}},
	)
	return &Dataset{
		Name:           "flow_survey",
		Version:        "1.0.0",
		Description:    "DTM flow monitoring survey (FMS): one interviewed traveller at a flow monitoring point. Direct identifiers are never stored (a keyed pseudonym replaces the respondent id); quasi-identifiers are sensitive: figures from this dataset are published only with small-cell suppression.",
		PartitionKey:   "year_part",
		PartitionField: "period_start",
		PartitionDoc:   "calendar year of period_start (the interview date); unknown when the row has no date",
		Fields:         fields,
	}
}
