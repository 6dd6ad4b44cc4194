# bench/plot.gp: median time to detect per mutant, from bench/mutants.sh.
#   gnuplot -e "tsv='bench/results/mutants.tsv'; png='bench/results/mutants.png'; cap=60; seeds=5" bench/plot.gp
# Columns of the TSV: number name clause corpus_kill corpus_clause
# found_seeds median_s median_execs fuzz_clause (header row first).
# Bars: median wall time of seeds fuzz_diff runs from an empty corpus
# (log scale); a mutant whose median run did not find it (median_execs
# ">N") is drawn at the cap in red. The red line is the cap.
if (!exists("tsv")) tsv = 'bench/results/mutants.tsv'
if (!exists("png")) png = 'bench/results/mutants.png'
if (!exists("cap")) cap = 60
if (!exists("seeds")) seeds = 5

set terminal png size 1600,720 font ",10" noenhanced
set output png
set datafile separator "\t"
set title sprintf("vpcert: median time to detect each shim mutant, fuzz_diff from an empty corpus (%d seeds, cap %g s)", seeds, cap)
set ylabel "median wall time of the run to the finding (s, log scale)"
set logscale y
set yrange [0.05:cap * 2.5]
set xrange [-0.7:*]
set xtics rotate by 60 right nomirror font ",8"
set ytics nomirror
set grid ytics
set style fill solid 0.8 border -1
set boxwidth 0.75
set key top left opaque
notfound(c) = strcol(c)[1:1] eq ">"
plot tsv every ::1 using 0:(notfound(8) ? NaN : column(7)):xtic(sprintf("%s %s", strcol(1), strcol(2))) \
         with boxes lc rgb "#3b6fb6" title "found (median run)", \
     tsv every ::1 using 0:(notfound(8) ? cap : NaN) \
         with boxes lc rgb "#c0392b" title "not found by the median run (drawn at the cap)", \
     cap with lines lw 2 lc rgb "#c0392b" title sprintf("cap %g s", cap)
