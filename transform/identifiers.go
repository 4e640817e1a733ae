package transform

import "strings"

// koboSystemKeys are KoboToolbox export columns that are not survey data
// (normalised keys).
// Keys in koboUnderscoreKeys count only when the raw header starts with '_'
// ("_id", "_index"): a plain "ID" column may be data.
var koboUnderscoreKeys = map[string]bool{
	"id": true, "uuid": true, "submission_time": true, "index": true,
	"parent_index": true, "parent_table_name": true, "status": true,
	"validation_status": true, "notes": true, "tags": true, "version": true,
	"submitted_by": true, "xform_id_string": true, "attachments": true,
	"geolocation": true, "submission_uuid": true,
}

var koboSystemKeys = map[string]bool{
	"meta_instanceid": true, "instanceid": true, "meta_instancename": true,
	"deviceid": true, "start": true, "end": true, "today": true,
	"simserial": true, "subscriberid": true, "phonenumber": true,
	"username": true, "audit": true, "formhub_uuid": true,
}

// identifierWords mark direct identifiers in a header: such columns are
// never read, whatever the dataset.
var identifierWords = []string{
	"name_of_respondent", "respondent_name", "nom_du_repondant", "nom_repondant",
	"enumerator_name", "nom_enqueteur", "enumerator", "enqueteur",
	"interviewer", "full_name", "first_name", "last_name", "surname", "nom_complet", "prenom",
	"phone", "telephone", "tel_number", "mobile", "contact_number", "whatsapp",
	"deviceid", "device_id", "imei", "simserial", "subscriberid", "email", "e_mail",
	"passport", "id_card", "national_id", "id_number", "numero_carte",
	"submitted_by", "uuid", "username",
	"remarks", "remark", "comments", "comment", "observations", "free_text", "notes",
	"nom_et_prenom", "nom_prenom", "nombre_completo", "nombre_y_apellido", "apellido", "apellidos",
	"encuestador", "encuestadora", "enqueteur", "enqueteuse", "telefono", "tel", "gsm", "celular", "movil",
	"correo", "remarques", "commentaires", "observaciones", "comentarios", "signature", "firma",
}

// identifierExactKeys are identifier headers only as a whole key: "Name" or
// "Nom" alone names a person, "FMP name" does not.
var identifierExactKeys = map[string]bool{
	"name": true, "names": true, "nom": true, "noms": true, "nombre_y_apellidos": true, "contact": true,
}

// isKoboSystem reports a Kobo system column ("_uuid", "__version__",
// "meta/instanceID", "deviceid", ...).
func isKoboSystem(header string, keys []string) bool {
	underscore := strings.HasPrefix(strings.TrimSpace(header), "_")
	for _, k := range keys {
		if underscore && koboUnderscoreKeys[k] {
			return true
		}
		if koboSystemKeys[k] {
			return true
		}
	}
	return false
}

// isIdentifierHeader reports a header that names a direct identifier
// (names, phone numbers, device ids, free-text remarks).
func isIdentifierHeader(keys []string) bool {
	for _, k := range keys {
		if identifierExactKeys[k] {
			return true
		}
		for _, w := range identifierWords {
			if k == w || strings.HasPrefix(k, w+"_") || strings.HasSuffix(k, "_"+w) || strings.Contains(k, "_"+w+"_") {
				return true
			}
		}
	}
	return false
}
