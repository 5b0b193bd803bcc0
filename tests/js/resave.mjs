// Read a DMN file with dmn-moddle and write it back, as Camunda Modeler does when it saves a diagram.
//   node resave.mjs in.dmn out.dmn
import fs from 'node:fs';
import { DmnModdle } from 'dmn-moddle';

const [input, output] = process.argv.slice(2);
const moddle = new DmnModdle();
const { rootElement, warnings } = await moddle.fromXML(fs.readFileSync(input, 'utf8'), 'dmn:Definitions');
if (warnings.length) {
  console.error(warnings.map((w) => w.message).join('\n'));
  process.exit(1);
}
const { xml } = await moddle.toXML(rootElement, { format: true });
fs.writeFileSync(output, xml);
