package dose

import (
	"errors"
	"fmt"
	"time"
)

// Motor is the stepper driver. SetStepRate(0) stops it.
type Motor interface {
	SetStepRate(stepsPerSecond float64)
}

// BolusRateMLh is the rate at which a bolus is delivered.
const BolusRateMLh = 300.0

// Engine holds the programmed infusion and is the only code that sets the
// motor rate: every rate change goes through apply, which re-checks the
// interlocks and the mechanism range (SRS-011, code review record
// docs/verification/code-review-SRS-011.md).
type Engine struct {
	motor    Motor
	syringe  Syringe
	loaded   bool
	entry    DrugEntry
	weightKg float64

	programmed  bool
	rateMLh     float64 // programmed basal rate, rounded
	vtbiML      float64 // volume to be infused; 0 = until the syringe is empty
	decision    Decision
	confirmed   bool
	inhibited   string // reason the motor must not run; empty when free
	running     bool
	bolusLeftML float64

	now       time.Duration
	delivered float64
	hourly    HourlyLimiter
	current   float64 // the rate the motor runs at now
}

// NewEngine returns an engine driving m.
func NewEngine(m Motor) *Engine { return &Engine{motor: m} }

// LoadSyringe selects a syringe and verifies it against the clamp sensor.
func (e *Engine) LoadSyringe(s Syringe, measuredMM float64) error {
	if e.running {
		return errors.New("stop the infusion before changing the syringe")
	}
	if err := VerifySyringe(s, measuredMM); err != nil {
		e.loaded = false
		return err
	}
	e.syringe, e.loaded = s, true
	return nil
}

// SelectDrug selects a drug library entry and the patient weight, and
// clears any previous programme.
func (e *Engine) SelectDrug(d DrugEntry, weightKg float64) {
	e.entry, e.weightKg = d, weightKg
	e.hourly = HourlyLimiter{LimitML: d.MaxMLPerHour}
	e.programmed, e.confirmed = false, false
}

// Program sets the basal dose in the selected entry's unit and the volume
// to be infused. It returns the library decision; a dose above the soft
// limit runs only after ConfirmSoftLimit.
func (e *Engine) Program(dose, vtbiML float64) (Decision, error) {
	if e.running {
		return Decision{}, errors.New("stop the infusion before changing the programme")
	}
	e.programmed = false
	d := CheckDose(e.entry, dose)
	if d.Verdict == Rejected {
		return d, errors.New(d.Reason)
	}
	rate, err := RateFor(dose, e.entry.Unit, e.weightKg, e.entry.Concentration)
	if err != nil {
		return d, err
	}
	// The exact rate must be in range: rounding 0.05 mL/h up to 0.1 mL/h
	// would run a rate nobody programmed.
	if err := ValidateRate(rate); err != nil {
		return d, err
	}
	rate = RoundRate(rate)
	e.rateMLh, e.vtbiML, e.decision = rate, vtbiML, d
	e.delivered = 0
	e.programmed, e.confirmed = true, d.Verdict == Allowed
	return d, nil
}

// ConfirmSoftLimit records the user's confirmation of a dose above the soft
// limit.
func (e *Engine) ConfirmSoftLimit() {
	if e.programmed {
		e.confirmed = true
	}
}

// Start starts the programmed infusion.
func (e *Engine) Start() error {
	switch {
	case !e.loaded:
		return errors.New("no verified syringe loaded")
	case !e.programmed:
		return errors.New("no infusion programmed")
	case !e.confirmed:
		return errors.New(e.decision.Reason + ": confirm the dose first")
	}
	if err := e.apply(e.rateMLh); err != nil {
		return err
	}
	e.running = true
	return nil
}

// Stop stops the motor; the programme is kept.
func (e *Engine) Stop() {
	_ = e.apply(0)
	e.running, e.bolusLeftML = false, 0
}

// Inhibit stops the infusion and keeps the motor stopped until Release: an
// alarm condition that stops delivery must not be undone by a key press.
func (e *Engine) Inhibit(reason string) {
	e.Stop()
	e.inhibited = reason
}

// Release lifts an inhibit once the alarm that set it has been handled.
func (e *Engine) Release() { e.inhibited = "" }

// Bolus starts a bolus of ml on top of a running infusion.
func (e *Engine) Bolus(ml float64) error {
	if !e.running {
		return errors.New("a bolus is given only during a running infusion")
	}
	if err := CheckBolus(e.entry, ml); err != nil {
		return err
	}
	if err := e.hourly.Allow(e.now, ml); err != nil {
		return err
	}
	if err := e.apply(BolusRateMLh); err != nil {
		return err
	}
	e.bolusLeftML = ml
	return nil
}

// Tick advances the engine by dt and returns the volume delivered in it.
// done reports that the volume to be infused has been delivered.
func (e *Engine) Tick(dt time.Duration) (ml float64, done bool) {
	e.now += dt
	if !e.running {
		return 0, false
	}
	ml = e.current * dt.Hours()
	if e.bolusLeftML > 0 && ml >= e.bolusLeftML {
		// The bolus ends inside this tick: the rest of it runs at the basal rate.
		rest := dt - time.Duration(e.bolusLeftML/BolusRateMLh*float64(time.Hour))
		ml = e.bolusLeftML + e.rateMLh*rest.Hours()
		e.bolusLeftML = 0
		if err := e.apply(e.rateMLh); err != nil {
			e.Inhibit(err.Error())
		}
	} else if e.bolusLeftML > 0 {
		e.bolusLeftML -= ml
	}
	// Per-tick volumes do not sum exactly in floating point; anything within
	// half a microstep of the target is the target.
	if e.vtbiML > 0 && e.delivered+ml >= e.vtbiML-e.syringe.MLPerMM()/MicrostepsPerMM/2 {
		ml = e.vtbiML - e.delivered
		done = true
	}
	e.delivered += ml
	e.hourly.Record(e.now, ml)
	if done {
		e.Stop()
	}
	return ml, done
}

// apply is the single place that sets the motor rate.
func (e *Engine) apply(mlh float64) error {
	if mlh == 0 {
		e.motor.SetStepRate(0)
		e.current = 0
		return nil
	}
	if e.inhibited != "" {
		return fmt.Errorf("infusion inhibited: %s", e.inhibited)
	}
	steps, err := StepRate(mlh, e.syringe)
	if err != nil {
		return err
	}
	e.motor.SetStepRate(steps)
	e.current = mlh
	return nil
}

// Status accessors for the display and the event log.

func (e *Engine) Running() bool        { return e.running }
func (e *Engine) RateMLh() float64     { return e.rateMLh }
func (e *Engine) CurrentMLh() float64  { return e.current }
func (e *Engine) DeliveredML() float64 { return e.delivered }
func (e *Engine) Syringe() Syringe     { return e.syringe }
func (e *Engine) Entry() DrugEntry     { return e.entry }
func (e *Engine) Inhibited() string    { return e.inhibited }

// RemainingML is the volume still to infuse, or -1 without a VTBI.
func (e *Engine) RemainingML() float64 {
	if e.vtbiML <= 0 {
		return -1
	}
	return e.vtbiML - e.delivered
}
