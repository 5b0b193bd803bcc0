"""A DMN model with many decisions (or one table with many rules), for the validation limits."""

def many_decisions(n: int, rules: int = 2) -> bytes:
    ns = "https://www.omg.org/spec/DMN/20191111/MODEL/"
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<definitions xmlns="{ns}" id="d" name="veel" namespace="urn:x">',
             '<inputData id="i_x" name="x"><variable name="x" typeRef="number"/></inputData>']
    for i in range(n):
        parts.append(f'<decision id="d{i}" name="D{i}"><variable name="D{i}" typeRef="number"/>'
                     f'<informationRequirement><requiredInput href="#i_x"/></informationRequirement>'
                     f'<decisionTable id="t{i}" hitPolicy="FIRST"><input id="in{i}"><inputExpression typeRef="number"><text>x</text></inputExpression></input>'
                     f'<output id="o{i}" name="D{i}" typeRef="number"/>')
        for r in range(rules):
            parts.append(f'<rule id="r{i}_{r}"><inputEntry><text>&gt;= {r}</text></inputEntry><outputEntry><text>{r}</text></outputEntry></rule>')
        parts.append('</decisionTable></decision>')
    parts.append('</definitions>')
    return "".join(parts).encode()
