package schemas

// Vocabularies shared by the flow monitoring datasets.
var (
	// FlowDirections: incoming (inflow, entrée, entrada) or outgoing
	// (outflow, sortie, salida) at the flow monitoring point.
	FlowDirections = []string{"incoming", "outgoing"}
	// FlowSexes: the raw label is kept beside it in sex_label.
	FlowSexes = []string{"male", "female", "other", "unknown"}
	// FlowAgeGroups: children and adults, as registries count them.
	FlowAgeGroups = []string{"0-17", "18+"}
	// FlowPeriodTypes: how long a period_start..period_end is.
	FlowPeriodTypes = []string{"day", "week", "month", "range"}
	// FlowTransportModes: normalised modes of transport.
	FlowTransportModes = []string{"foot", "bus", "car", "truck", "motorbike", "bicycle", "boat", "train", "plane", "animal", "other"}
	// FlowReasons: reasons for travel, from 0/1 reason_* flag columns or a
	// select_multiple cell; a flag of an unlisted reason keeps its
	// normalised name.
	FlowReasons = []string{"economic", "conflict", "disaster", "seasonal", "family", "education", "health", "food", "tourism", "other"}
)

// flowCountryDoc ends the description of every country field of the flow
// datasets.
const flowCountryDoc = " ISO 3166-1 alpha-3 code, from a code or an English, French or Spanish name; OOO (the flow monitoring code of an unknown country) is kept as OOO; an unrecognised label is a warning and stored as empty."

// flowFMPFields are the fields of the flow monitoring point, common to the
// registry and the survey.
func flowFMPFields(sens Sensitivity) []Field {
	return []Field{
		{Name: "country_iso3", Kind: String, Required: true, Sensitivity: Public, HXL: "#country+code",
			Description: "ISO3 code of the country of the flow monitoring point (from country_iso3, else fmp_country, else the job or --country); partitions the warehouse.",
			Aliases:     []string{"Country ISO3", "ISO3", "Country Code", "Code pays", "admin0Pcode", "adm0_pcode"}},
		{Name: "fmp_id", Kind: String, PlaceCode: true, Sensitivity: sens, HXL: "#loc+code+fmp",
			Description: "Id of the flow monitoring point (FMP) as published.",
			Aliases:     []string{"fmp", "FMP ID", "FMP Code", "fmp_code", "Code PSF", "Code du PSF", "PSF", "Code FMP", "id_fmp", "Punto de monitoreo", "PMF", "Flow monitoring point"}},
		{Name: "fmp_name", Kind: String, Sensitivity: sens, HXL: "#loc+name+fmp",
			Description: "Name of the flow monitoring point as published.",
			Aliases:     []string{"FMP Name", "Nom du PSF", "Nom PSF", "Nom FMP", "Nom du point de suivi", "fmp_label", "Nombre del punto"}},
		{Name: "fmp_country", Kind: String, Sensitivity: Public, HXL: "#country+code+fmp",
			Description: "Country of the flow monitoring point." + flowCountryDoc,
			Aliases:     []string{"FMP Country", "Pays du PSF", "Pays PSF", "Pays FMP", "País del punto", "Country", "Pays", "País"}},
	}
}

// flowPeriodFields are period_start, period_end and period_type.
func flowPeriodFields(sens Sensitivity, required bool, doc string) []Field {
	return []Field{
		{Name: "period_start", Kind: Date, Required: required, Sensitivity: sens, HXL: "#date+start",
			Description: "First day of the period counted (" + doc + "): a date, a month (\"2023-01\", \"janvier 2023\"), an ISO week (\"2023-W03\") or a range (\"16 - 23 Jan 2023\"); a date with a daily, weekly or monthly frequency column is widened to its day, week (7 days from the date) or calendar month.",
			Aliases:     []string{"t", "date", "Date", "Period", "Période", "Periodo", "Month", "Mois", "Mes", "Week", "Semaine", "Semana", "Date de collecte", "Fecha", "Survey Date", "Date de l'enquête", "date_enquete", "Date of interview", "interview_date", "survey_date", "Start date", "Date de début", "period_start", "reporting_date", "Reporting period"}},
		{Name: "period_end", Kind: Date, Sensitivity: sens, HXL: "#date+end",
			Description: "Last day of the period counted (equal to period_start for a day); from an end-date column when the file has one.",
			Aliases:     []string{"End date", "Date de fin", "Fecha de fin", "date_fin", "period_end", "to_date"}},
		{Name: "period_type", Kind: String, Sensitivity: Public, Vocabulary: FlowPeriodTypes,
			Description: "Length of the period: day, week, month or range (any other span), from a frequency column (daily/quotidien/diario, weekly/hebdomadaire/semanal, monthly/mensuel/mensual) or from the date's form.",
			Aliases:     []string{"Frequency", "Fréquence", "Frecuencia", "Period type", "Type de période", "periodicity", "périodicité"}},
	}
}

// flowCountryField is one country field of the flow datasets.
func flowCountryField(name string, sens Sensitivity, hxl, doc string, aliases ...string) Field {
	return Field{Name: name, Kind: String, Sensitivity: sens, HXL: hxl, Description: doc + flowCountryDoc, Aliases: aliases}
}

// flowCommonFields are the direction, route countries, sex, transport and
// reasons, common to the registry and the survey.
func flowCommonFields(sens Sensitivity) []Field {
	return []Field{
		{Name: "direction", Kind: String, Sensitivity: Public, HXL: "#direction", Vocabulary: FlowDirections,
			Description: "incoming or outgoing, from English, French and Spanish labels (incoming/inflow/in/entrée/entrante/entrada, outgoing/outflow/out/sortie/sortant/salida); another label is a warning and stored as empty.",
			Aliases:     []string{"movement", "Direction", "Flow direction", "Sens", "Sens du flux", "Type de flux", "Dirección", "Sentido", "Flujo", "flow_type"}},
		flowCountryField("origin_country", sens, "#country+code+origin", "Country of departure.", "from", "origin", "Origin country", "Country of origin", "Pays d'origine", "Pays de provenance", "Provenance", "Origine", "País de origen", "Origen"),
		flowCountryField("previous_country", sens, "#country+code+previous", "Country of the previous stop.", "previous", "Previous country", "Pays précédent", "Pays de la dernière étape", "País anterior"),
		flowCountryField("next_country", sens, "#country+code+next", "Country of the next stop.", "next", "Next country", "Pays suivant", "Prochaine étape", "País siguiente"),
		flowCountryField("final_destination_country", sens, "#country+code+destination+final", "Intended final destination.", "final", "Final destination", "Intended final destination", "Destination finale", "Pays de destination finale", "Destino final"),
		flowCountryField("nationality", sens, "#country+code+nationality", "Nationality.", "nat", "Nationality", "Nationalité", "Nacionalidad", "citizenship"),
		{Name: "sex", Kind: String, Sensitivity: sens, HXL: "#sex", Vocabulary: FlowSexes,
			Description: "Sex normalised from English, French and Spanish labels (Male/Homme/Hombre, Female/Femme/Mujer, Other/Autre/Otra designación, NS/NR / unknown); the label as published is in sex_label.",
			Aliases:     []string{"Sex", "Sexe", "Sexo", "Gender", "Genre", "Género", "sex_respondent", "Sexe du répondant"}},
		{Name: "sex_label", Kind: String, Sensitivity: sens,
			Description: "Sex label exactly as published (trimmed)."},
		{Name: "transport_mode", Kind: String, Sensitivity: Public, HXL: "#transport+type", Vocabulary: FlowTransportModes,
			Description: "Mode of transport, normalised (foot, bus, car, truck, motorbike, bicycle, boat, train, plane, animal, other) from English, French and Spanish labels; an unknown label is a warning and stored as other.",
			Aliases:     []string{"Transport", "Transport mode", "Mode of transport", "Means of transport", "Moyen de transport", "Mode de transport", "Medio de transporte", "transport_type"}},
		{Name: "reasons", Kind: StringList, Sensitivity: sens, HXL: "#reason",
			Description: "Reasons for travel: the reasons whose 0/1 flag column (reason_economic, raison_conflit, motivo_trabajo, reason/economic …) is 1, normalised (economic, conflict, disaster, seasonal, family, education, health, food, tourism, other; an unlisted flag keeps its name), plus a reason cell split on '; ' or spaces. Empty when every flag is 0; null when no flag and no cell has a value.",
			Aliases:     []string{"reason", "Reasons", "Reason for travel", "Reason for movement", "Raison", "Raisons", "Motif", "Motif du voyage", "Raison du déplacement", "Motivo", "Motivos", "Motivo del viaje"}},
	}
}

// FlowRegistry is the flow monitoring registry dataset (FMR): one count of
// people passing a flow monitoring point in a period (a day, a week, a
// month), by direction and, where published, by nationality, sex, age group,
// route and transport mode.
func FlowRegistry() *Dataset {
	fields := flowFMPFields(Public)
	fields = append(fields,
		Field{Name: "route", Kind: String, Sensitivity: Public, HXL: "#route+name",
			Description: "Migration route as published.", Aliases: []string{"Route", "Ruta", "Corridor", "Corridor migratoire"}},
		Field{Name: "subroute", Kind: String, Sensitivity: Public, HXL: "#route+name+sub",
			Description: "Sub-route as published.", Aliases: []string{"Subroute", "Sub-route", "Sous-route", "Subruta"}},
	)
	fields = append(fields, flowPeriodFields(Public, true, "required: a row without a usable date or period is rejected")...)
	fields = append(fields, flowCommonFields(Public)...)
	fields = append(fields,
		flowCountryField("destination_country", Public, "#country+code+destination", "Destination as published in a `to` column.", "to", "Destination", "Destination country", "Pays de destination", "País de destino"),
		Field{Name: "age_group", Kind: String, Sensitivity: Public, HXL: "#age+group", Vocabulary: FlowAgeGroups,
			Description: "Age group: 0-17 (children, under 18, enfants, moins de 18 ans, menores) or 18+ (adults, adultes, adultos); an exact age or a published band inside one group gives that group; a band across 18 is a warning and stored as empty (the label stays in age_label).",
			Aliases:     []string{"age", "Age", "Âge", "Edad", "Age group", "Tranche d'âge", "Groupe d'âge", "Grupo de edad"}},
		Field{Name: "age_label", Kind: String, Sensitivity: Public,
			Description: "Age or age group exactly as published."},
		Field{Name: "individuals", Kind: Int, Required: true, Unit: "persons", Sensitivity: Public, HXL: "#population+total",
			HXLAliases:  []string{"#affected+ind", "#population+ind"},
			Description: "Individuals counted passing the point in the period (non-negative).",
			Aliases:     []string{"n", "Individuals", "Individus", "Nombre d'individus", "Nombre de personnes", "Nombre", "Personas", "Número de personas", "Total individuals", "count", "Total"}},
		Field{Name: "uac", Kind: Int, Unit: "persons", Sensitivity: Public, HXL: "#population+children+unaccompanied",
			Description: "Unaccompanied children among the individuals; empty means unknown, not zero.",
			Aliases:     []string{"UAC", "Unaccompanied children", "Enfants non accompagnés", "ENA", "Niños no acompañados", "NNA no acompañados"}},
	)
	return &Dataset{
		Name:           "flow_registry",
		Version:        "1.0.0",
		Description:    "DTM flow monitoring registry (FMR): individuals counted passing a flow monitoring point (FMP) in a day, week or month, by direction, with nationality, sex, age group, route, transport and reason breakdowns as published. Counts by direct observation: no personal data.",
		PartitionKey:   "year_part",
		PartitionField: "period_start",
		PartitionDoc:   "calendar year of period_start",
		Fields:         fields,
	}
}
