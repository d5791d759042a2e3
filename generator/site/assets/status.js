/* Status pages: colour scheme toggle (kept in localStorage); beside each <time>
   the reader's local time and, for time[data-rel], how long ago or ahead it is,
   kept current. Without this script the site's times stand alone. Text only. */
(function(d,w){
var r=d.documentElement,k="sp-scheme",L=r.lang||"en",Z=r.dataset.tz,I=w.Intl,s,R,
U=[["minute",6e4,60],["hour",36e5,48],["day",864e5,1e9]],
M={dateStyle:"medium",timeStyle:"short"};
try{s=localStorage.getItem(k)}catch(e){}
if(s=="dark"||s=="light")r.dataset.scheme=s;
function dark(){return r.dataset.scheme?r.dataset.scheme=="dark":w.matchMedia("(prefers-color-scheme: dark)").matches}
function f(o,t){return new I.DateTimeFormat(L,o).format(t)}
function add(e,c){var n=d.createElement("span");n.className=c;e.after(n);return n}
function ago(t){var m=t-Date.now(),i=0;while(Math.abs(m)>=U[i][1]*U[i][2])i++;return R.format(Math.round(m/U[i][1]),U[i][0])}
function tick(){d.querySelectorAll("time[datetime]").forEach(function(e){
var t=new Date(e.dateTime);if(isNaN(t))return;
if(!e.sp){e.sp=e.dataset.rel!=null&&R?add(e,"sp-rel"):1;
try{if(f(Object.assign({timeZone:Z},M),t)!=f(M,t))add(e,"sp-local").textContent=" ("+f({month:"short",day:"numeric",hour:"2-digit",minute:"2-digit",hourCycle:"h23",timeZoneName:"short"},t)+")"}catch(x){}}
if(e.sp.nodeType)e.sp.textContent=" · "+ago(t)})}
d.addEventListener("DOMContentLoaded",function(){
var b=d.querySelector(".sp-scheme");
if(b){b.hidden=!1;b.setAttribute("aria-pressed",dark());b.onclick=function(){var v=dark()?"light":"dark";r.dataset.scheme=v;b.setAttribute("aria-pressed",v=="dark");try{localStorage.setItem(k,v)}catch(e){}}}
if(I){R=I.RelativeTimeFormat&&new I.RelativeTimeFormat(L,{numeric:"auto",style:"short"});tick();setInterval(tick,15e3)}})
})(document,window);
