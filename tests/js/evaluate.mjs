// An independent DMN evaluator for Regelbank's tests: dmn-moddle reads the XML, feelin evaluates
// the FEEL. It knows nothing of Regelbank: no extension elements are read, a decision sees only
// its required input data (by name) and required decisions (by decision name, the DMN way), and
// a multi-output decision table's value is a context of its outputs.
//
//   node evaluate.mjs < request.json > answer.json
//   request: {"dmn": "<path>", "cases": [{"id": "V-01", "inputs": {"Name": value, ...}}, ...]}
//            a date is written {"date": "YYYY-MM-DD"}
//   answer:  {"warnings": [moddle warnings], "cases": [{"id", "decisions": {name: value},
//            "outputs": {output name: value}, "errors": [...], "feel_warnings": [...]}]}
//
// "outputs" maps each decision table output (or literal expression variable) to its value; when
// two decisions produce an output of the same name, the later one in the document wins.
import fs from 'node:fs';
import { DmnModdle } from 'dmn-moddle';
import { evaluate, unaryTest } from 'feelin';

const request = JSON.parse(fs.readFileSync(0, 'utf8'));
const xml = fs.readFileSync(request.dmn, 'utf8');
const { rootElement: definitions, warnings } = await new DmnModdle().fromXML(xml, 'dmn:Definitions');

const byId = new Map((definitions.drgElement || []).map((e) => [e.id, e]));
const decisions = (definitions.drgElement || []).filter((e) => e.$type === 'dmn:Decision');
const ref = (r) => byId.get(((r && r.href) || '').replace(/^.*#/, ''));

function toFeel(value) {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'date' in value) {
    return evaluate(`date("${value.date}")`).value;
  }
  return value;
}

function toJson(value) {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'function') return '<function>';
  if (typeof value === 'object') {
    if (typeof value.toString === 'function' && value.constructor && value.constructor !== Object) {
      return { date: value.toString() };
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

class Case {
  constructor(inputs) {
    this.inputs = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, toFeel(v)]));
    this.values = new Map();
    this.errors = [];
    this.feelWarnings = [];
  }

  feel(kind, text, context, where) {
    const { value, warnings: w } = kind === 'test' ? unaryTest(text, context) : evaluate(text, context);
    for (const warning of w || []) this.feelWarnings.push(`${where}: ${text}: ${warning.message}`);
    return value;
  }

  context(element, path = []) {
    const context = {};
    for (const requirement of element.informationRequirement || []) {
      if (requirement.requiredDecision) {
        const decision = ref(requirement.requiredDecision);
        if (decision) context[decision.name] = this.decision(decision, path);
      } else if (requirement.requiredInput) {
        const input = ref(requirement.requiredInput);
        if (input) context[input.name] = input.name in this.inputs ? this.inputs[input.name] : null;
      }
    }
    for (const requirement of element.knowledgeRequirement || []) {
      const bkm = ref(requirement.requiredKnowledge);
      if (bkm) context[bkm.name] = this.bkm(bkm);
    }
    return context;
  }

  bkm(bkm) {
    const logic = bkm.encapsulatedLogic;
    const params = (logic && logic.formalParameter || []).map((p) => p.name);
    const outer = this.context(bkm);
    return (...args) => {
      const context = { ...outer, ...Object.fromEntries(params.map((p, i) => [p, args[i] ?? null])) };
      if (logic && logic.body && logic.body.$type === 'dmn:LiteralExpression') {
        return this.feel('expression', logic.body.text || 'null', context, bkm.name);
      }
      this.errors.push(`${bkm.name}: unsupported BKM logic`);
      return null;
    };
  }

  decision(decision, path = []) {
    if (this.values.has(decision.id)) return this.values.get(decision.id);
    if (path.includes(decision.id)) {
      this.errors.push(`cycle at ${decision.name}`);
      return null;
    }
    const context = this.context(decision, [...path, decision.id]);
    const logic = decision.decisionLogic;
    let value = null;
    if (!logic) {
      this.errors.push(`${decision.name}: no decision logic`);
    } else if (logic.$type === 'dmn:LiteralExpression') {
      value = this.feel('expression', logic.text || 'null', context, decision.name);
    } else if (logic.$type === 'dmn:DecisionTable') {
      value = this.table(decision, logic, context);
    } else {
      this.errors.push(`${decision.name}: unsupported logic ${logic.$type}`);
    }
    this.values.set(decision.id, value);
    return value;
  }

  table(decision, table, context) {
    const where = decision.name;
    const inputs = (table.input || []).map((column) =>
      this.feel('expression', (column.inputExpression && column.inputExpression.text) || 'null', context, where));
    const outputs = table.output || [];
    const matched = [];
    for (const rule of table.rule || []) {
      const ok = (rule.inputEntry || []).every((entry, i) => {
        const text = (entry.text || '').trim();
        if (text === '' || text === '-') return true;
        return this.feel('test', text, { ...context, '?': inputs[i] }, `${where} ${rule.id}`) === true;
      });
      if (ok) matched.push(rule);
    }
    const single = outputs.length === 1;
    const result = (rule) => {
      const values = (rule.outputEntry || []).map((entry) =>
        this.feel('expression', (entry.text || '').trim() || 'null', context, `${where} ${rule.id}`));
      return single ? values[0] : Object.fromEntries(outputs.map((o, i) => [o.name, values[i]]));
    };
    const policy = table.hitPolicy || 'UNIQUE';
    if (matched.length === 0) {
      if (table.aggregation === 'COUNT') return 0;
      const defaults = outputs.map((o) => o.defaultOutputEntry
        ? this.feel('expression', o.defaultOutputEntry.text || 'null', context, where) : null);
      if (defaults.every((d) => d === null)) return null;
      return single ? defaults[0] : Object.fromEntries(outputs.map((o, i) => [o.name, defaults[i]]));
    }
    if (policy === 'UNIQUE') {
      if (matched.length > 1) {
        this.errors.push(`${where}: hit policy UNIQUE, several rules match: ${matched.map((r) => r.id).join(', ')}`);
        return null;
      }
      return result(matched[0]);
    }
    if (policy === 'FIRST') return result(matched[0]);
    const results = matched.map(result);
    if (policy === 'ANY') {
      const first = JSON.stringify(toJson(results[0]));
      if (results.some((r) => JSON.stringify(toJson(r)) !== first)) {
        this.errors.push(`${where}: hit policy ANY, rules disagree`);
        return null;
      }
      return results[0];
    }
    const order = (o) => {
      const text = o.outputValues && o.outputValues.text;
      return text ? text.split(',').map((t) => evaluate(t.trim()).value) : [];
    };
    const orders = outputs.map(order);
    const key = (r) => (single ? [r] : outputs.map((o) => r[o.name])).map((v, i) => {
      const index = orders[i].indexOf(v);
      return index < 0 ? orders[i].length : index;
    });
    const byPriority = (a, b) => {
      const ka = key(a), kb = key(b);
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
      return 0;
    };
    if (policy === 'PRIORITY') return [...results].sort(byPriority)[0];
    if (policy === 'OUTPUT ORDER') return [...results].sort(byPriority);
    if (policy === 'RULE ORDER') return results;
    if (policy === 'COLLECT') {
      const values = results.filter((v) => v !== null && v !== undefined);
      switch (table.aggregation) {
        case 'SUM': return values.length ? values.reduce((a, b) => a + b, 0) : null;
        case 'MIN': return values.length ? values.reduce((a, b) => (b < a ? b : a)) : null;
        case 'MAX': return values.length ? values.reduce((a, b) => (b > a ? b : a)) : null;
        case 'COUNT': return new Set(values.map((v) => JSON.stringify(toJson(v)))).size;
        default: return results;
      }
    }
    this.errors.push(`${where}: unknown hit policy ${policy}`);
    return null;
  }
}

const answers = [];
for (const { id, inputs } of request.cases) {
  const run = new Case(inputs || {});
  const decisionValues = {};
  const outputs = {};
  for (const decision of decisions) {
    const value = run.decision(decision);
    decisionValues[decision.name] = toJson(value);
    const logic = decision.decisionLogic;
    if (logic && logic.$type === 'dmn:DecisionTable') {
      const columns = logic.output || [];
      if (columns.length === 1) {
        outputs[columns[0].name || decision.name] = toJson(value);
      } else {
        for (const column of columns) {
          outputs[column.name] = toJson(Array.isArray(value) ? value.map((v) => v && v[column.name])
            : value && value[column.name]);
        }
      }
    } else {
      outputs[(decision.variable && decision.variable.name) || decision.name] = toJson(value);
    }
  }
  answers.push({ id, decisions: decisionValues, outputs, errors: run.errors, feel_warnings: run.feelWarnings });
}
process.stdout.write(JSON.stringify({ warnings: warnings.map((w) => String(w.message || w)), cases: answers }));
