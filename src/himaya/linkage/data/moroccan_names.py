"""Moroccan first and family names in Arabic script with their usual Latin spellings.

The truth tables of the synthetic linkage test set (``himaya.linkage.synthetic``),
written by hand: each line is one name, in Arabic script, then its Latin spellings
as they are found in civil-status extracts, school lists and inspectors' notes, the
most usual first, then its weight. Weights are relative frequencies, invented to
have the shape of the real ones (a few very common names, a long tail), not
measured. Boys' names have a second weight for fathers, whose generation named
its sons differently (Lahcen, Bouchaib, Abdelkader are fathers' names; Rayane,
Adam, Iyad children's).

A linker must not read these tables: they are the answer sheet.
"""

from __future__ import annotations

# arabic | latin spellings | weight as a boy's name | weight as a father's name
BOYS = """
محمد | Mohamed, Mohammed, Mohamad, Mhamed, Muhammad, Mouhamed | 100 | 150
يوسف | Youssef, Yousef, Youssouf, Yusuf, Youcef | 45 | 12
حمزة | Hamza, Hamzah, Hamzaa | 35 | 4
ياسين | Yassine, Yasine, Yacine, Yassin | 35 | 5
أيوب | Ayoub, Ayyoub, Ayub | 30 | 3
أحمد | Ahmed, Ahmad, Hmed | 28 | 60
عمر | Omar, Oumar, Omer, Umar | 25 | 15
آدم | Adam, Adame | 25 | 1
إلياس | Ilyas, Ilias, Elias, Ilyass | 22 | 2
أنس | Anas, Annas | 20 | 2
زكرياء | Zakaria, Zakariae, Zakariya, Zakarya, Zakariyae | 20 | 5
المهدي | El Mehdi, Mehdi, Elmehdi, El Mahdi | 20 | 5
محمد أمين | Mohamed Amine, Mohammed Amine, Mohamed-Amine, Med Amine | 15 | 0
إسماعيل | Ismail, Smail, Ismael, Ismaïl | 15 | 10
عبد الله | Abdellah, Abdallah, Abdelah, Abdullah | 15 | 40
سفيان | Soufiane, Sofiane, Soufian, Sufian | 15 | 3
بلال | Bilal, Belal, Bilale | 15 | 2
أمين | Amine, Amin | 15 | 5
ريان | Rayane, Rayan, Ryane | 14 | 0
أيمن | Aymane, Ayman, Aimane | 12 | 1
مروان | Marouane, Marwane, Marouan, Marwan | 12 | 2
أسامة | Oussama, Oussema, Ossama, Usama | 12 | 2
رضا | Reda, Rida, Redha | 12 | 3
عثمان | Othmane, Otmane, Outhmane, Osman | 12 | 5
وليد | Walid, Oualid, Waleed | 10 | 5
إبراهيم | Brahim, Ibrahim, Ibrahime | 10 | 30
يونس | Younes, Younesse, Younnes, Yunus | 10 | 5
معاذ | Mouad, Moad, Mouaad, Muad | 10 | 0
وائل | Wail, Wael, Ouail | 8 | 0
طه | Taha, Tahaa | 8 | 2
الحسين | El Houssine, Houssine, Lhoussaine, Houcine, Hussein | 8 | 25
إدريس | Driss, Idriss, Idris | 8 | 25
كريم | Karim, Kareem, Krim | 8 | 10
أشرف | Achraf, Ashraf, Achrafe | 8 | 2
صلاح الدين | Salaheddine, Salah Eddine, Salah-Eddine, Salahdine | 8 | 5
عبد الرحمان | Abderrahmane, Abderahmane, Abdelrahman, Abdurrahman | 8 | 15
إسحاق | Ishak, Ishaq, Isaac | 4 | 1
حسن | Hassan, Hassane, Hasan | 6 | 20
خالد | Khalid, Khaled | 6 | 20
سعيد | Said, Saïd, Saeed | 6 | 30
مصطفى | Mustapha, Moustapha, Mustafa, Mostafa | 6 | 30
عبد الرحيم | Abderrahim, Abderahim, Abdelrahim | 6 | 20
عبد الصمد | Abdessamad, Abdelsamad, Abdessamade | 6 | 8
يحيى | Yahya, Yahia, Yehia | 6 | 5
زياد | Ziad, Zyad, Ziyad | 6 | 1
رضوان | Redouane, Radouane, Ridouane, Redwane | 6 | 5
عمران | Imrane, Imran, Omrane | 6 | 1
ياسر | Yasser, Yassir, Yacer | 6 | 4
شعيب | Chouaib, Chouaïb, Shuaib | 6 | 2
هشام | Hicham, Hichame, Hisham | 5 | 15
عادل | Adil, Adel | 5 | 15
نبيل | Nabil, Nabile | 5 | 8
نوفل | Naoufal, Nawfal, Noufal | 5 | 2
عماد | Imad, Imade, Emad | 5 | 5
جواد | Jaouad, Jawad, Jaouade | 5 | 5
إياد | Iyad, Iyed, Eyad | 5 | 0
سعد | Saad, Saâd, Sad | 5 | 5
عبد الإله | Abdelilah, Abdellilah, Abdelillah | 5 | 10
نور الدين | Noureddine, Nour-Eddine, Nourdine, Nourredine | 5 | 15
أنور | Anouar, Anwar, Anour | 4 | 3
رياض | Riad, Ryad, Riyad | 4 | 3
سلمان | Salmane, Salman | 4 | 1
مراد | Mourad, Morad, Murad | 4 | 10
صهيب | Souhaib, Souhayb, Suhaib | 4 | 0
مالك | Malik, Malek | 4 | 1
عصام | Issam, Issame, Essam | 4 | 4
حاتم | Hatim, Hatem | 4 | 2
زين العابدين | Zine El Abidine, Zineelabidine, Zine-Elabidine | 4 | 2
رشيد | Rachid, Rashid, Rchid | 4 | 25
عبد الحكيم | Abdelhakim, Abdelhakime | 3 | 6
عبد الكريم | Abdelkrim, Abdelkarim, Abdel Karim | 3 | 15
عبد العزيز | Abdelaziz, Abdel Aziz, Abdulaziz | 3 | 15
عبد الحق | Abdelhak, Abdelhaq | 3 | 10
عبد الغني | Abdelghani, Abdelrhani, Abdelghany | 3 | 10
عبد العالي | Abdelali, Abdelaali, Abdel Ali | 3 | 10
حميد | Hamid, Hmid | 3 | 15
عزيز | Aziz, Azziz | 3 | 8
توفيق | Taoufik, Toufik, Taoufiq, Tawfiq | 3 | 8
فؤاد | Fouad, Fuad, Fouaad | 3 | 8
جمال | Jamal, Jamel, Djamal | 3 | 15
إيدير | Idir, Ider | 2 | 2
يوبا | Youba, Yuba | 2 | 0
أكسيل | Aksel, Axel | 2 | 0
عبد السلام | Abdeslam, Abdesselam, Abdessalam | 2 | 15
عبد المجيد | Abdelmajid, Abdelmadjid, Abdelmajide | 2 | 8
عبد اللطيف | Abdellatif, Abdelatif, Abdel Latif | 2 | 12
عبد الواحد | Abdelouahed, Abdelwahed, Abdelouahad | 2 | 10
عبد الرزاق | Abderrazak, Abderrazzak, Abdelrazak | 2 | 8
المختار | Mokhtar, El Mokhtar, Mukhtar | 2 | 8
مبارك | Mbarek, M'barek, Embarek, Mubarak | 2 | 12
لحسن | Lahcen, Lahsen, Lahssen, Lhacen | 2 | 20
عبد القادر | Abdelkader, Abdelkadir, Abdelqader | 2 | 20
الجيلالي | Jilali, Jillali, El Jilali | 1 | 8
العربي | Larbi, El Arbi, Larby | 1 | 12
ميلود | Miloud, Milloud | 1 | 8
بوشعيب | Bouchaib, Bouchaïb, Bouchaeb | 1 | 10
الطيب | Tayeb, Taib, Ettayeb | 1 | 8
الحسن | El Hassan, Lhassan, Elhassan | 2 | 8
علي | Ali, Aly | 4 | 12
موسى | Moussa, Mousa, Musa | 2 | 8
عيسى | Issa, Aissa, Isa | 2 | 6
صالح | Salah, Saleh, Salh | 2 | 8
منير | Mounir, Munir, Monir | 3 | 6
"""

# arabic | latin spellings | weight
GIRLS = """
فاطمة الزهراء | Fatima Zahra, Fatimzahra, Fatima-Zahra, Fatima Ezzahra, Fatema Zohra | 40
فاطمة | Fatima, Fatema, Fatma, Fadma | 35
آية | Aya, Ayah, Aia | 30
خديجة | Khadija, Khadidja, Khadeeja, Khadijah | 25
مريم | Meryem, Maryam, Meriem, Mariam, Maryem | 25
سلمى | Salma, Selma, Salmaa | 25
إيمان | Imane, Iman, Imen, Imanne | 25
هبة | Hiba, Hibaa, Heba | 20
سارة | Sara, Sarah, Sarra | 18
زينب | Zineb, Zaynab, Zainab, Zeineb | 15
هاجر | Hajar, Hajjar, Hagar | 15
شيماء | Chaimae, Chaimaa, Chaima, Shaimaa | 15
ملاك | Malak, Malake, Malek | 15
آسية | Assia, Asiya, Assya | 4
حفصة | Hafsa, Hafssa, Hafsah | 12
كوثر | Kaoutar, Kawtar, Kaouthar, Kaoutare | 12
أسماء | Asmae, Asmaa, Asma, Esmae | 12
سكينة | Soukaina, Soukayna, Sokaina, Sukaina | 12
ياسمين | Yasmine, Yassmine, Yasmina, Jasmine | 12
دعاء | Douae, Douaa, Doua, Duaa | 12
نور | Nour, Noor, Nur | 12
أميمة | Oumaima, Oumayma, Omaima, Umaima | 12
كنزة | Kenza, Kinza, Kenzah | 12
نهى | Noha, Nouha, Nuha | 10
وئام | Wiam, Wiame, Ouiam | 10
عائشة | Aicha, Aïcha, Aisha, Aycha | 10
مروة | Marwa, Maroua, Marwah | 10
غيثة | Ghita, Ghitha, Rhita | 8
سناء | Sanae, Sanaa, Sana | 8
إكرام | Ikram, Ikrame, Ekram | 8
أمينة | Amina, Aminah, Ameena | 8
رحمة | Rahma, Rahmah | 8
نسرين | Nisrine, Nesrine, Nisrin | 8
وصال | Wissal, Wissale, Wisal | 8
سمية | Soumia, Soumaya, Soumiya, Sumaya | 8
ريم | Rim, Reem, Rime | 8
إسراء | Israe, Issrae, Israa, Esraa | 8
يسرى | Yousra, Yosra, Yusra | 8
رانيا | Rania, Ranya, Raniya | 8
صفاء | Safae, Safaa, Safa | 8
إيناس | Ines, Inas, Iness, Inass | 8
منال | Manal, Manale | 6
بشرى | Bouchra, Bushra, Boushra | 6
خلود | Khouloud, Kholoud, Khulud | 6
لمياء | Lamiae, Lamyae, Lamia, Lamyaa | 6
ليلى | Laila, Leila, Layla, Leyla | 6
رقية | Rokaya, Rokia, Roukaya, Ruqaya | 6
حسناء | Hasnae, Hasnaa, Hasna | 6
ضحى | Doha, Douha, Duha | 6
جنات | Jannat, Jannate, Jenat | 6
تسنيم | Tasnim, Tasnime, Tesnim | 6
أمل | Amal, Amale | 6
لبنى | Loubna, Lobna, Lubna | 5
حنان | Hanane, Hanan, Hanaane | 5
سهام | Siham, Sihame, Seham | 5
هند | Hind, Hinde | 5
زهرة | Zahra, Zohra, Zahrae | 5
هديل | Hadil, Hadeel, Hadile | 5
رجاء | Rajae, Rajaa, Raja | 4
ابتسام | Ibtissam, Ibtissame, Ibtisam | 4
نجوى | Najwa, Najoua, Nejwa | 4
حليمة | Halima, Hlima, Halimah | 4
سلوى | Salwa, Saloua, Selwa | 4
فدوى | Fadwa, Fadoua, Fedwa | 4
حياة | Hayat, Hayate, Hayet | 4
إلهام | Ilham, Ilhame, Elham | 4
نرجس | Narjiss, Narjis, Nargis | 4
حسنى | Housna, Hosna, Husna | 3
نادية | Nadia, Nadya, Nadiya | 3
سميرة | Samira, Smira, Sameera | 3
نعيمة | Naima, Naïma, Naeema | 3
نوال | Naoual, Nawal, Nouale | 3
عفاف | Afaf, Afaff | 3
جميلة | Jamila, Djamila, Jamilah | 2
ثريا | Touria, Thouria, Soraya, Thuraya | 2
مليكة | Malika, Melika, Malikah | 2
زهور | Zhor, Zouhour, Zohour | 2
تودة | Touda, Tuda | 2
إيطو | Itto, Ito | 2
تيزيري | Tiziri, Thiziri | 2
"""

# arabic | latin spellings | weight
FAMILIES = """
العلوي | El Alaoui, Alaoui, Alawi | 30
الإدريسي | El Idrissi, Idrissi, Drissi, Edrissi | 25
العمراني | El Amrani, Amrani, Lamrani, Amrany | 18
بن علي | Benali, Ben Ali, Benaly | 12
بناني | Bennani, Benani, Bannani | 12
المنصوري | El Mansouri, Mansouri | 10
الحسني | El Hassani, Hassani | 10
التازي | Tazi, Ettazi | 8
الوزاني | Ouazzani, El Ouazzani, Wazzani, Ouazani | 8
الفاسي | El Fassi, Fassi | 8
الشرقاوي | Cherkaoui, Charkaoui, Cherqaoui, Sharqawi | 8
العلمي | Alami, El Alami, Lalami | 8
بنجلون | Benjelloun, Ben Jelloun, Benjeloun | 7
الطاهري | Tahiri, Taheri, Ettahiri | 7
برادة | Berrada, Barrada, Berada | 6
بوزيد | Bouzid, Bouzide, Bouzit | 6
المرابط | Mrabet, El Mrabet, Lemrabet, Merabet | 6
السوسي | Soussi, Essoussi | 6
آيت علي | Ait Ali, Aït Ali | 6
البقالي | El Bakkali, Bakkali, Baqqali | 6
الحداد | Haddad, El Haddad | 6
الأنصاري | Ansari, El Ansari, Lansari | 6
الفيلالي | Filali, El Filali, Fillali | 6
الشرايبي | Chraibi, Cheraibi, Chraïbi, Shraibi | 5
الكتاني | Kettani, El Kettani, Kattani | 5
الرحماني | Rahmani, Errahmani | 5
الخطابي | El Khattabi, Khattabi, Khatabi | 5
الريفي | Rifi, Errifi, Riffi | 5
الشاوي | Chaoui, Echchaoui, Chawi | 5
بلحاج | Belhaj, Belhadj, Bel Haj | 5
بنموسى | Benmoussa, Ben Moussa, Benmousa | 5
الصحراوي | Sahraoui, Essahraoui, Sahrawi | 5
بنسعيد | Bensaid, Ben Said, Bensaïd | 5
بنعبد الله | Benabdellah, Ben Abdellah, Benabdallah | 5
الراشدي | Rachidi, Errachidi, Rashidi | 5
الهاشمي | Hachimi, El Hachimi, Hachmi, Hashimi | 5
الموساوي | Moussaoui, El Moussaoui, Mousaoui | 5
الناصري | Naciri, Nassiri, Ennaciri, Nasiri | 5
السعيدي | Saidi, Essaidi, Saïdi | 5
أمزيان | Amziane, Amzian, Amezian | 4
الزياني | Ziani, Zayani, Ezzayani | 4
الدكالي | Doukkali, Doukali, Dakkali | 4
بنكيران | Benkirane, Ben Kirane, Benkiran | 4
الغزواني | Ghazouani, El Ghazouani, Ghazwani | 4
النجار | Najjar, Nejjar, Ennajjar | 4
الخياطي | Khayati, El Khayati, Khiyati | 4
الغربي | Gharbi, El Gharbi, Rharbi | 4
الكبير | Lakbir, El Kabir, Kabir | 4
الصغير | Sghir, Seghir, Esseghir | 4
بنعمر | Benomar, Ben Omar, Benamar | 4
بن أحمد | Benahmed, Ben Ahmed, Benahmad | 4
الحمداوي | Hamdaoui, El Hamdaoui, Hamdawi | 4
الصالحي | Salhi, Essalhi, Salehi | 4
الزرهوني | Zerhouni, Zarhouni | 4
المراكشي | Marrakchi, El Marrakchi, Marrakshi | 4
السلاوي | Slaoui, Salaoui, Esslaoui | 4
العراقي | Laraki, El Iraki, Iraki | 4
العثماني | Othmani, El Othmani, Otmani | 4
الحسيني | Houssaini, El Houssaini, Husseini | 4
القاسمي | Kasmi, El Kasmi, Qasmi | 4
العياشي | Ayachi, El Ayachi, Ayyachi | 4
اليعقوبي | Yacoubi, El Yacoubi, Yaakoubi, Yaqoubi | 4
الإسماعيلي | Ismaili, El Ismaili, Smaili | 4
الإبراهيمي | Brahimi, El Brahimi, Ibrahimi | 4
الطالبي | Talbi, Ettalbi, Taleby | 4
الأزرق | Lazrak, El Azrak, Azrak | 4
أوعلي | Ouali, Ou Ali, Ouaali | 4
اليوسفي | Youssfi, Yousfi, El Youssfi | 4
العمري | Omari, El Omari, Lamri | 4
المسعودي | Messaoudi, El Messaoudi, Masoudi | 4
الداودي | Daoudi, Eddaoudi, Dawdi | 4
أوحمو | Ouhammou, Ouhamou, Ouhammo | 3
السقاط | Sekkat, Sakkat, Seqqat | 3
الزموري | Zemmouri, Zemouri, Zamouri | 3
بوعزة | Bouazza, Bouaza | 3
آيت بن حدو | Ait Benhaddou, Ait Ben Haddou, Aït Benhaddou | 3
العطار | Attar, El Attar, Lattar | 3
بنحدو | Benhaddou, Ben Haddou | 3
بوطالب | Boutaleb, Bou Taleb | 3
الجزولي | Jazouli, El Jazouli, Guezouli | 3
المريني | Merini, El Merini, Mrini | 3
الوردي | Ouardi, El Ouardi, Wardi | 3
التطواني | Tetouani, Tetwani, Ettetouani | 3
المكناسي | Meknassi, El Meknassi, Maknassi | 3
الصفريوي | Sefrioui, Safrioui, Sefriwi | 3
الجباري | Jabbari, El Jabbari, Jebbari | 3
العبدلاوي | Abdellaoui, El Abdellaoui, Abdelaoui | 3
الخلفي | Khalfi, El Khalfi | 3
الوكيلي | Oukili, El Oukili, Wakili | 3
البركاني | Berkani, El Berkani, Barkani | 3
الزهراوي | Zahraoui, Zehraoui, Zahrawi | 3
البوشيخي | Bouchikhi, El Bouchikhi, Bouchiki | 3
الشريف | Cherif, Chrif, Echcherif | 3
الشريفي | Cherifi, Chrifi | 3
الأبيض | Labiad, El Abiad, Abyad | 3
الحجاجي | Hajjaji, El Hajjaji, Hajaji | 3
آيت أحمد | Ait Ahmed, Aït Ahmed | 3
آيت براهيم | Ait Brahim, Aït Brahim | 3
آيت الحاج | Ait El Haj, Ait Lhaj, Ait Elhadj | 3
أمغار | Amghar, Amrhar, Amrar | 3
الوافي | Ouafi, El Ouafi, Wafi | 3
البخاري | Boukhari, El Boukhari, Bukhari | 3
بنسليمان | Benslimane, Ben Slimane | 3
بنشقرون | Benchekroun, Ben Chekroun | 3
بنيس | Bennis, Bennice | 3
لحلو | Lahlou, Lahlo | 3
السقلي | Sqalli, Skalli, Squalli | 3
القادري | Kadiri, El Kadiri, Qadiri | 3
الحجي | Hajji, El Hajji, Hadji | 3
القباج | Kabbaj, Qabbaj, Kabaj | 3
بلغيتي | Belghiti, Belrhiti | 3
بنبراهيم | Benbrahim, Ben Brahim | 3
الحكيمي | Hakimi, El Hakimi | 3
الكريمي | Karimi, El Karimi | 3
شوقي | Chaouki, Chawki, Chauki | 3
البكري | Bakri, El Bakri | 3
الهلالي | Hilali, El Hilali | 3
السباعي | Sbai, Sebai, Esbai | 3
الجابري | Jabri, El Jabri | 3
بوسعيد | Boussaid, Bousaid | 3
بنيحيى | Benyahya, Ben Yahya, Benyahia | 3
بنصالح | Bensalah, Ben Salah | 3
الجبلي | Jebli, El Jebli, Jabli | 3
المختاري | Mokhtari, El Mokhtari | 3
العيادي | Ayadi, El Ayadi | 3
الغزالي | Ghazali, El Ghazali | 3
المدني | Madani, El Madani | 3
الحميدي | Hamidi, El Hamidi | 3
السليماني | Slimani, Esslimani | 3
العزوزي | Azzouzi, El Azzouzi, Azouzi | 3
العمراوي | Amraoui, El Amraoui, Amrawi | 3
المصباحي | Mesbahi, Misbahi | 3
الرحالي | Rahali, Errahali | 3
الفاضلي | Fadili, El Fadili, Fadli | 3
النوري | Nouri, Ennouri | 3
الودغيري | Oudghiri, Oudrhiri, Wadghiri | 3
آيت عمر | Ait Omar, Aït Omar | 2
آيت موسى | Ait Moussa, Aït Moussa | 2
آيت سعيد | Ait Said, Aït Saïd | 2
آيت حمو | Ait Hammou, Ait Hamou | 2
آيت الطالب | Ait Taleb, Ait Ettaleb | 2
أمالو | Amalou, Amallou | 2
إيزم | Izem, Izzem | 2
أمزال | Amzal, Amezal | 2
أوشن | Ouchen, Oushen | 2
الطنجاوي | Tanjaoui, Tanjawi | 2
الرباطي | Rbati, Ribati | 2
الوجدي | Oujdi, El Oujdi, Wajdi | 2
الشامي | Chami, Chamy | 2
المغربي | Maghribi, El Maghribi, Meghribi | 2
البوعزاوي | Bouazzaoui, Bouazaoui | 2
الغماري | Ghmari, Ghomari | 2
الجراري | Jerrari, Jarrari, Djerrari | 2
بنسودة | Bensouda, Ben Souda | 2
كسوس | Guessous, Gessous | 2
المرنيسي | Mernissi, El Mernissi | 2
مولين | Mouline, Moulin | 2
بوزوبع | Bouzoubaa, Bouzoubâa | 2
التونسي | Tounsi, Ettounsi | 2
جامعي | Jamai, Jamaï, Jamay | 2
الفاسي الفهري | Fassi Fihri, El Fassi Fihri, Fassi-Fihri | 2
بلقاضي | Belkadi, Belkady | 2
بوهلال | Bouhlal, Bouhlel | 2
لخضر | Lakhdar, Lakhder | 2
المجدوبي | Majdoubi, Mejdoubi | 2
مزيان | Meziane, Mziane | 2
الورديغي | Ouardighi, Wardighi | 2
زنيبر | Zniber, Zeniber | 2
الحراق | Harrak, El Harrak | 2
شفيق | Chafik, Chafiq | 2
صابر | Saber, Sabir | 2
راجي | Raji, Radji | 2
لحريشي | Lahrichi, Lehrichi | 2
بنونة | Bennouna, Benouna | 2
بلحسن | Belhassan, Belhasan | 2
بلخياط | Belkhayat, Belkhiat | 2
بوخريص | Boukhris, Boukhriss | 2
بنحمو | Benhammou, Benhamou | 2
لطفي | Lotfi, Lutfi | 2
الوهابي | Ouahabi, Wahabi | 2
الكمالي | Kamali, El Kamali | 2
شنتوف | Chentouf, Chantouf | 2
بلعباس | Belabbes, Belabbas | 2
مبروك | Mabrouk, Mabrouke | 2
التوزاني | Touzani, Ettouzani | 2
الحسوني | Hassouni, El Hassouni | 2
التمسماني | Temsamani, Tamsamani | 2
عواد | Aouad, Awad | 2
زويتن | Zouiten, Zwitten | 2
الذهبي | Dahbi, Eddahbi, Edhabi | 2
الرازي | Razi, Errazi, Rhazi | 2
شاكر | Chakir, Chaker, Shakir | 2
البشيري | Bachiri, Bechiri | 2
اللحياني | Lahyani, Lehyani | 2
حطاب | Hattab, Hatab | 2
السفياني | Sefiani, Sfiani | 2
الهواري | Haouari, El Houari, Hawari | 2
بنمنصور | Benmansour, Ben Mansour | 2
الشرادي | Cherradi, Charradi | 2
الشافعي | Chafai, Chafii | 2
لمغاري | Lamghari, Lemghari | 2
الجعفري | Jaafari, Jaafri | 2
الرويسي | Rouissi, Rouisi | 2
زروال | Zeroual, Zerouale | 2
بلمكي | Belmekki, Belmeki | 2
الأيوبي | Ayoubi, El Ayoubi | 2
الزاوي | Zaoui, Zawi | 2
الشباني | Chbani, Echbani | 2
الصديقي | Seddiki, Saddiki, Siddiqi | 2
محجوب | Mahjoub, Mahjoube | 2
غنام | Ghannam, Ghanam | 2
مكوار | Mekouar, Mekwar | 2
بوعياد | Bouayad, Bouaiad | 2
ثابت | Tabet, Thabet | 2
الصويري | Souiri, Essouiri | 2
ناجي | Naji, Nadji | 2
صبري | Sabri, Sabry | 2
فكري | Fikri, Fekri | 2
زكي | Zaki, Zaky | 2
منصور | Mansour, Mensour | 2
الحداوي | Haddaoui, El Haddaoui | 2
ولد علي | Ould Ali, Ouled Ali | 2
أوبلا | Oubella, Oubela | 1
أوزين | Ouzine, Ouzzine | 1
أخياط | Akhiat, Akhyat | 1
أسكور | Askour, Asskour | 1
إد براهيم | Id Brahim, Idbrahim | 1
بوكيلي | Boukili, Boukily | 1
"""
