package main

import (
	"fmt"
	"os"
	"time"

	"example.com/syringeflow/alarm"
	"example.com/syringeflow/dose"
	"example.com/syringeflow/eventlog"
	"example.com/syringeflow/ui"
)

// epochMS is the simulated device clock at power-on: runs are repeatable.
const epochMS = 1714636800000 // 2024-05-02T08:00:00Z

// Line compliance of a syringe with a 150 cm extension set: how much the
// downstream pressure falls per mL the plunger backs off.
const mmHgPerML = 2000.0

// motor is the simulated stepper with its plunger encoder.
type motor struct {
	rate  float64 // microsteps per second
	steps float64 // counted by the encoder
}

func (m *motor) SetStepRate(r float64) { m.rate = r }

type sim struct {
	now     time.Duration
	samples int64

	motor  motor
	engine *dose.Engine
	lib    dose.Library
	libErr error

	alarms alarm.Manager
	occl   alarm.Detector
	relief *alarm.Relief
	diseng alarm.Disengagement
	purge  ui.PurgeGate
	light  ui.Backlight

	log  *eventlog.Log
	file *os.File // the log's medium, read back by the log command

	// programme as the user entered it
	entry    dose.DrugEntry
	weightKg float64
	dose     float64
	vtbiML   float64
	softNote string

	// simulated hardware
	pressure    float64 // downstream line pressure, mmHg
	clampClosed bool
	plunger     bool
	batteryMin  float64
	onMains     bool
	speakerOK   bool
	commanded   float64 // volume the engine delivered, for the encoder cross-check
	relievedML  float64
}

// boot is the power-up sequence: open and repair the event log, verify
// the drug library, test the speaker.
func boot(f *os.File, speakerFault bool, libVersion string) (*sim, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	l, _, problems, err := eventlog.Open(f, st.Size())
	if err != nil {
		return nil, err
	}
	s := &sim{log: l, file: f, pressure: 40, clampClosed: true, plunger: true, batteryMin: 480, onMains: true}
	s.engine = dose.NewEngine(&s.motor)
	s.occl.Threshold = alarm.ThresholdMedium
	s.alarms.OnEvent = func(e alarm.Event) {
		s.record(eventlog.KindAlarm, fmt.Sprintf("%s %s %s", e.Kind, e.Condition, e.Priority))
	}
	for _, p := range problems {
		s.record(eventlog.KindRecovered, p.String())
	}

	s.lib = releaseLibrary(libVersion)
	s.libErr = s.lib.Verify(manifest())
	libNote := "library " + s.lib.Version
	if s.libErr != nil {
		libNote = "basic mode: " + s.libErr.Error()
	}
	s.record(eventlog.KindBoot, "software "+softwareVersion+", "+libNote)

	err = alarm.SpeakerSelfTest(func(float64, time.Duration) (float64, error) {
		if speakerFault {
			return 0.4, nil
		}
		return 78, nil
	})
	s.speakerOK = err == nil
	if err != nil {
		s.alarms.Raise(s.now, alarm.SpeakerFault)
		s.engine.Inhibit(err.Error())
	}
	return s, nil
}

// record appends to the event log. A full or failing log must not stop an
// infusion; the failure is visible in the next status reply.
func (s *sim) record(kind eventlog.Kind, payload string) {
	if _, err := s.log.Append(epochMS+s.now.Milliseconds(), kind, payload); err != nil {
		fmt.Fprintln(os.Stderr, "pumpsim: event log:", err)
	}
}

// sensedPressure adds the sensor's noise, a deterministic ripple of
// ±0.3 mmHg, to the line pressure.
func (s *sim) sensedPressure() float64 {
	return s.pressure + 0.3*float64(s.samples%3-1)
}

// step advances the simulation by one sample period.
func (s *sim) step() {
	dt := alarm.SamplePeriod
	s.samples++
	s.motor.steps += s.motor.rate * dt.Seconds()
	ml, done := s.engine.Tick(dt)
	s.now += dt
	s.commanded += ml
	if done {
		s.record(eventlog.KindStop, "volume to be infused delivered")
	}

	switch s.occl.Sample(s.now, s.sensedPressure(), s.engine.Running()) {
	case alarm.Occluded:
		if !s.alarms.Has(alarm.Occlusion) {
			s.alarms.Raise(s.now, alarm.Occlusion)
			s.stop("occlusion")
			s.relief = &alarm.Relief{}
		}
	case alarm.SensorFault:
		if !s.alarms.Has(alarm.PressureSensorFault) {
			s.alarms.Raise(s.now, alarm.PressureSensorFault)
			s.stop("pressure sensor fault")
		}
	default:
		s.alarms.Clear(s.now, alarm.Occlusion)
	}
	if s.relief != nil {
		back, finished := s.relief.Step(s.pressure)
		s.pressure -= back * mmHgPerML
		s.relievedML += back
		s.motor.steps -= back / s.engine.Syringe().MLPerMM() * dose.MicrostepsPerMM
		s.commanded -= back
		if finished {
			s.record(eventlog.KindStop, fmt.Sprintf("pressure relieved: plunger backed off %.2f mL", s.relief.ReversedML()))
			s.relief = nil
		}
	}

	if s.diseng.Sample(s.clampClosed, s.plunger) {
		if s.engine.Running() || s.alarms.Has(alarm.SyringeDisengaged) {
			s.alarms.Raise(s.now, alarm.SyringeDisengaged)
			s.stop("syringe disengaged")
		}
	} else {
		s.alarms.Clear(s.now, alarm.SyringeDisengaged)
	}

	if !s.onMains {
		s.batteryMin -= dt.Minutes()
	}
	switch alarm.Battery(s.batteryMin, s.onMains) {
	case alarm.BatteryOK:
		s.alarms.Clear(s.now, alarm.BatteryLow)
		s.alarms.Clear(s.now, alarm.BatteryDepleted)
	case alarm.BatteryLowState:
		s.alarms.Raise(s.now, alarm.BatteryLow)
	case alarm.BatteryDepletedState:
		s.alarms.Clear(s.now, alarm.BatteryLow)
		s.alarms.Raise(s.now, alarm.BatteryDepleted)
	case alarm.BatteryCutoff:
		s.alarms.Raise(s.now, alarm.BatteryDepleted)
		if s.engine.Running() {
			s.stop("battery cutoff")
		}
	}

	if c, ok := alarm.Progress(s.engine.RemainingML(), s.engine.RateMLh()); ok && (s.engine.Running() || c == alarm.EndOfInfusion) {
		if c == alarm.EndOfInfusion {
			s.alarms.Clear(s.now, alarm.NearEnd)
		}
		s.alarms.Raise(s.now, c)
	}

	// The encoder cross-check runs once a second.
	if s.samples%10 == 0 && s.engine.Syringe().InnerDiameterMM > 0 {
		if err := dose.CheckDelivered(s.commanded, s.plungerML()); err != nil && !s.alarms.Has(alarm.VolumeMismatch) {
			s.alarms.Raise(s.now, alarm.VolumeMismatch)
			s.stop(err.Error())
		}
	}
}

// plungerML is the volume the plunger moved by the encoder's count.
func (s *sim) plungerML() float64 {
	if s.engine.Syringe().InnerDiameterMM == 0 {
		return 0
	}
	return dose.VolumeForSteps(int64(s.motor.steps), s.engine.Syringe())
}

// stop stops the infusion for an alarm and keeps it stopped until the
// alarm is acknowledged.
func (s *sim) stop(reason string) {
	if s.engine.Running() {
		s.record(eventlog.KindStop, reason)
	}
	s.engine.Inhibit(reason)
}

// programme is what the confirmation screen shows.
func (s *sim) programme() ui.Programme {
	return ui.Programme{
		Drug: s.entry.Name, Amount: s.entry.Concentration.Amount, AmountUnit: s.entry.Concentration.Unit,
		VolumeML: s.entry.Concentration.VolumeML, Dose: s.dose, DoseUnit: string(s.entry.Unit),
		WeightKg: s.weightKg, RateMLh: s.engine.RateMLh(), VTBIML: s.vtbiML, SoftLimitNote: s.softNote,
	}
}
