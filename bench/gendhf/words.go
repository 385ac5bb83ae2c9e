package main

import (
	"fmt"
	"math/rand/v2"
)

// Vocabulary of a syringe-driver design history file: titles are built as
// verb + object + condition, so that they read like requirement titles
// and vary enough to make realistic text sizes.
var (
	verbs = []string{
		"Reject", "Limit", "Detect", "Report", "Display", "Record", "Verify", "Stop",
		"Confirm", "Recompute", "Validate", "Announce", "Restore", "Inhibit", "Calibrate",
	}
	objects = map[string][]string{
		"":                 {"the programmed rate", "the bolus volume", "the alarm", "the event", "the drug entry"},
		"rate":             {"the programmed rate", "the step rate", "the KVO rate", "the titration step"},
		"bolus":            {"the bolus volume", "the bolus rate", "the loading dose", "the clinician bolus"},
		"limit":            {"the hard limit", "the soft limit", "the hourly volume", "the dose ceiling"},
		"conversion":       {"the dose unit", "the concentration", "the patient weight", "the body surface area"},
		"syringe":          {"the syringe size", "the barrel diameter", "the plunger position", "the syringe brand"},
		"occlusion":        {"the occlusion pressure", "the downstream pressure", "the occlusion alarm"},
		"priority":         {"the alarm priority", "the escalation", "the alarm order"},
		"audio":            {"the audio pause", "the alarm volume", "the speaker test tone"},
		"battery":          {"the battery runtime", "the battery alarm", "the mains failure"},
		"disengagement":    {"the clamp state", "the plunger engagement", "the syringe removal"},
		"sensor":           {"the pressure reading", "the sensor offset", "the sensor range"},
		"calibration":      {"the calibration factor", "the zero offset", "the calibration date"},
		"filter":           {"the filtered pressure", "the sample window", "the spike filter"},
		"plausibility":     {"the stuck sensor", "the sensor redundancy", "the reading slope"},
		"stepper":          {"the motor current", "the microstep rate", "the motor direction"},
		"encoder":          {"the encoder count", "the plunger travel", "the encoder drift"},
		"backoff":          {"the pressure relief", "the back-off volume", "the reversal limit"},
		"stall":            {"the motor stall", "the drive torque", "the lead screw load"},
		"display":          {"the main screen", "the infusion status", "the remaining time"},
		"units":            {"the unit symbol", "the decimal point", "the trailing zero"},
		"confirmation":     {"the programme summary", "the confirmation screen", "the soft limit override"},
		"keypad":           {"the key repeat", "the key lock", "the stuck key"},
		"record":           {"the event record", "the sequence number", "the record time"},
		"crc":              {"the record checksum", "the corrupt record", "the library checksum"},
		"recovery":         {"the torn record", "the log tail", "the power-loss state"},
		"export":           {"the log export", "the export format", "the export signature"},
		"hl7":              {"the HL7 message", "the order identifier", "the auto-programming order"},
		"wifi":             {"the network loss", "the certificate", "the connection state"},
		"time":             {"the device clock", "the time source", "the daylight saving change"},
		"library-sync":     {"the library download", "the library signature", "the library version"},
		"diagnostics":      {"the self-test result", "the fault code", "the service log"},
		"counters":         {"the operating hours", "the motor revolutions", "the occlusion count"},
		"calibration-menu": {"the service password", "the calibration menu", "the factory reset"},
	}
	conditions = []string{
		"above the configured maximum", "within 2 s", "at power-up", "before the infusion starts",
		"during a bolus", "on battery power", "after a software update", "for every drug library entry",
		"when the user changes the programme", "at the lowest rate", "on a sensor fault", "after power loss",
	}
	systemTitles = []string{
		"Deliver the programmed infusion accurately", "Deliver boluses within limits", "Detect downstream occlusions",
		"Provide an alarm system", "Present the programme unambiguously", "Keep an event history",
		"Operate on battery", "Apply the drug library", "Handle syringes safely", "Connect to the hospital network",
		"Support field service", "Protect against unauthorised change",
	}
	drugs = []string{"Morphine", "Noradrenaline", "Propofol 1%", "Heparin", "DOPamine", "DOBUTamine", "Insulin", "Fentanyl", "Midazolam", "Vancomycin"}
)

func sysTitle(r *rand.Rand) string {
	return systemTitles[r.IntN(len(systemTitles))] + " " + conditions[r.IntN(len(conditions))]
}

func srsTitle(r *rand.Rand, topic string) string {
	objs := objects[topic]
	if objs == nil {
		objs = objects[""]
	}
	return verbs[r.IntN(len(verbs))] + " " + objs[r.IntN(len(objs))] + " " + conditions[r.IntN(len(conditions))]
}

// srsAction is a title without its condition, short enough for a function name.
func srsAction(r *rand.Rand, topic string) string {
	objs := objects[topic]
	return verbs[r.IntN(len(verbs))] + " " + objs[r.IntN(len(objs))]
}

func argument(r *rand.Rand) string {
	return fmt.Sprintf("%s, %d.%d", drugs[r.IntN(len(drugs))], r.IntN(100), r.IntN(10))
}

var controlKinds = map[string][]string{
	"inherent-safety":        {"Bounded %s by design", "Single code path for %s", "Fixed-point computation of %s"},
	"protective-measure":     {"Independent monitoring of %s", "Alarm on %s", "Interlock on %s", "Plausibility check of %s"},
	"information-for-safety": {"On-screen warning about %s", "Instructions for use on %s", "Prompt before %s"},
}

func controlText(r *rand.Rand, kind string) (title, description string) {
	forms := controlKinds[kind]
	topic := objects[""][r.IntN(len(objects[""]))]
	title = fmt.Sprintf(forms[r.IntN(len(forms))], topic)
	return title, "The software " + lowerFirst(title) + ", " + conditions[r.IntN(len(conditions))] + "."
}

// hazardKinds are coherent hazard, hazardous situation and harm triples.
var hazardKinds = []struct{ title, hazard, situation, harm string }{
	{"Over-infusion", "Excess drug delivered", "The patient receives the drug faster than prescribed.", "Overdose; respiratory depression"},
	{"Under-infusion", "Too little drug delivered", "A patient dependent on the infusion receives too little.", "Haemodynamic instability"},
	{"Delayed occlusion alarm", "Therapy interrupted without an alarm", "The infusion stops at an occlusion and nobody is told.", "Haemodynamic collapse"},
	{"Post-occlusion bolus", "Stored volume released at once", "The patient receives the line's stored volume as a bolus.", "Short-term overdose"},
	{"Air in line", "Air infused ahead of the drug", "Air from an unpurged extension set reaches the vein.", "Air embolism"},
	{"Free flow", "Uncontrolled gravity flow", "The syringe empties into the patient by siphoning.", "Massive overdose; death"},
	{"Wrong drug selected", "Limits of another drug applied", "The infusion runs with the wrong drug's concentration and limits.", "Overdose or underdose of a high-alert medication"},
	{"Alarm not heard", "Alarm signal not perceived", "An occlusion or end of infusion goes unnoticed.", "Therapy interruption"},
	{"Battery depleted", "Pump stops on loss of power", "The infusion stops during transport and nobody notices.", "Therapy interruption"},
	{"Corrupted event log", "Incorrect record of delivery", "The dose given is reconstructed from a wrong history.", "Wrong clinical decision"},
	{"Unit confusion", "Dose misread by a factor of 10 to 1000", "The patient receives a multiple of the prescribed dose.", "Overdose; death"},
	{"Stale drug library", "Limits not released by the pharmacy", "Limits of a withdrawn library are applied.", "Overdose not prevented"},
	{"Tenfold programming error", "Excess drug delivered (use error)", "A keying error programs ten times the intended rate.", "Overdose; death"},
	{"Wrong patient order", "Order of another patient applied", "An auto-programmed order of another patient is started.", "Wrong drug or dose delivered"},
}

var causes = []string{
	"a software defect in %s", "a sensor fault not detected by %s", "a use error when setting %s",
	"a corrupted value of %s", "an unhandled state of %s",
}

func hazardText(r *rand.Rand) (title, hz, cause, situation, harm string) {
	k := hazardKinds[r.IntN(len(hazardKinds))]
	obj := objects[""][r.IntN(len(objects[""]))]
	cause = "Caused by " + fmt.Sprintf(causes[r.IntN(len(causes))], obj) + " " + conditions[r.IntN(len(conditions))] + "."
	return k.title, k.hazard, cause, k.situation, k.harm
}

func benefitRisk(r *rand.Rand, title string) string {
	return title + " cannot be reduced further without removing the low-rate delivery that neonatal and " +
		"vasoactive therapy depends on; the residual risk is disclosed in the instructions for use, " +
		fmt.Sprintf("section %d.%d, and the clinical benefit outweighs it.", 5+r.IntN(4), 1+r.IntN(9))
}
