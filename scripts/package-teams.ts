/** `npm run package:teams`: builds the Teams app package (issue 5). Placeholder until it lands. */
process.stderr.write('The Teams app package is not available in this version of Steady yet.\n');
process.exit(1);
