/**
 * Reads the YAML files of deploy/ into plain values with the `yaml` package: a syntax error
 * throws, naming the line; every document of a file is read.
 */
import { parseAllDocuments } from 'yaml';

/** The documents of `text`, each as plain objects, arrays, strings, numbers, booleans and null. */
export async function parseYamlDocuments(text: string): Promise<unknown[]> {
  return parseAllDocuments(text).map((document) => {
    const [error] = document.errors;
    if (error) throw new Error(`YAML does not parse: ${error.message}`);
    return document.toJS() as unknown;
  });
}

/** The one document of `text`. */
export async function parseYaml(text: string): Promise<unknown> {
  const documents = await parseYamlDocuments(text);
  if (documents.length !== 1)
    throw new Error(`expected one YAML document, found ${documents.length}`);
  return documents[0];
}
