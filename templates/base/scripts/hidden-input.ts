// A password typed on a terminal, read without echo (user:add, user:passwd and verify ask for one).
export function askHidden(prompt: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise<string>((resolve) => {
    let text = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          finish();
          return resolve(text);
        }
        if (char === '\u0003') {
          // Ctrl+C: raw mode turns it into a character
          finish();
          process.exit(130);
        }
        text = char === '\u007f' || char === '\b' ? [...text].slice(0, -1).join('') : text + char;
      }
    };
    stdin.on('data', onData);
  });
}
