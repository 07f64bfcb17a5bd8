/** Numbers said as digits or as words, in Russian and English ("пятьдесят", "fifty", "сто", "a hundred"). */

const words: Record<string, number> = {};

function add(value: number, ...forms: string[]): void {
  for (const form of forms) words[form] = value;
}

add(0, "ноль", "нуль", "zero");
add(1, "один", "одна", "одну", "одного", "одной", "one");
add(2, "два", "две", "двух", "two");
add(3, "три", "трех", "three");
add(4, "четыре", "четырех", "four");
add(5, "пять", "пяти", "five");
add(6, "шесть", "шести", "six");
add(7, "семь", "семи", "seven");
add(8, "восемь", "восьми", "eight");
add(9, "девять", "девяти", "nine");
add(10, "десять", "десяти", "десяток", "ten");
add(11, "одиннадцать", "одиннадцати", "eleven");
add(12, "двенадцать", "двенадцати", "twelve", "dozen");
add(13, "тринадцать", "тринадцати", "thirteen");
add(14, "четырнадцать", "четырнадцати", "fourteen");
add(15, "пятнадцать", "пятнадцати", "fifteen");
add(16, "шестнадцать", "шестнадцати", "sixteen");
add(17, "семнадцать", "семнадцати", "seventeen");
add(18, "восемнадцать", "восемнадцати", "eighteen");
add(19, "девятнадцать", "девятнадцати", "nineteen");
add(20, "двадцать", "двадцати", "twenty");
add(30, "тридцать", "тридцати", "thirty");
add(40, "сорок", "сорока", "forty", "fourty");
add(50, "пятьдесят", "пятидесяти", "полсотни", "fifty");
add(60, "шестьдесят", "шестидесяти", "sixty");
add(70, "семьдесят", "семидесяти", "seventy");
add(80, "восемьдесят", "восьмидесяти", "eighty");
add(90, "девяносто", "девяноста", "ninety");
add(100, "сто", "ста", "сотня", "сотню", "сотни", "hundred");
add(200, "двести", "двухсот");
add(300, "триста", "трехсот");
add(400, "четыреста", "четырехсот");
add(500, "пятьсот", "пятисот");
add(600, "шестьсот", "шестисот");
add(700, "семьсот", "семисот");
add(800, "восемьсот", "восьмисот");
add(900, "девятьсот", "девятисот");
add(1000, "тысяча", "тысячу", "тысячи", "thousand");

/** The value of one number word or digit string, if it is one. */
export function numberWord(word: string): number | undefined {
  if (/^\d{1,7}$/.test(word)) return Number(word);
  return words[word];
}

/** A number found in a token list: its value and the token span it covers. */
export interface NumberSpan {
  readonly value: number;
  readonly start: number;
  readonly end: number;
}

/** Finds numbers, joining runs of number words ("two hundred fifty", "сто пятьдесят"). */
export function findNumbers(tokens: readonly string[]): NumberSpan[] {
  const spans: NumberSpan[] = [];
  let i = 0;
  while (i < tokens.length) {
    const first = numberWord(tokens[i] ?? "");
    if (first === undefined) {
      i++;
      continue;
    }
    const start = i;
    let total = 0;
    let current = 0;
    let end = i;
    for (let j = i; j < tokens.length; j++) {
      const word = tokens[j] ?? "";
      if (word === "and" && j > i && numberWord(tokens[j + 1] ?? "") !== undefined) continue;
      const value = numberWord(word);
      if (value === undefined) break;
      if (/^\d/.test(word) && j > i) break;
      if (value === 100 && !/^\d/.test(word)) current = (current || 1) * 100;
      else if (value === 1000 && !/^\d/.test(word)) {
        total += (current || 1) * 1000;
        current = 0;
      } else current += value;
      end = j + 1;
      if (/^\d/.test(word)) break;
    }
    spans.push({ value: total + current, start, end });
    i = end;
  }
  return spans;
}
